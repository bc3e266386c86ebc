/** The bot's version, as `/relay/version` reports it: package.json's, bundled at build time. */
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
