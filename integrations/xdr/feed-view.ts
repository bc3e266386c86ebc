/** Checking a feed's `feed_view_url` before fetching it anonymously (api-contracts.md §4.4). */

const FEED_VIEW_PATH = /^\/ctia\/feed\/(feed-[A-Za-z0-9_-]{1,128})\/view\.txt$/;

/**
 * The URL to fetch for a feed view, rebuilt from its parts, and the same URL with the secret
 * redacted for errors. Only a `view.txt` URL with an `s=` secret on the private-intel host passes:
 * the URL comes from a server answer, and the bot must not be steered into fetching anything else.
 * @throws TypeError otherwise.
 */
export function feedViewRequest(feedViewUrl: string, privateIntelUrl: string): { url: string; shownUrl: string } {
  let url: URL;
  try {
    url = new URL(feedViewUrl);
  } catch {
    throw new TypeError('feed view URL is not a URL');
  }
  const base = new URL(privateIntelUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : '';
  const feedId = FEED_VIEW_PATH.exec(path)?.[1];
  const secret = url.searchParams.get('s');
  if (url.origin !== base.origin || feedId === undefined || !secret) {
    throw new TypeError('feed view URL must be a view.txt URL with a secret on the private-intel host');
  }
  const clean = `${privateIntelUrl.replace(/\/+$/, '')}/ctia/feed/${feedId}/view.txt`;
  return { url: `${clean}?s=${encodeURIComponent(secret)}`, shownUrl: `${clean}?s=[REDACTED]` };
}
