# sna-chatops: the bot and its smoke check (no simulators, tests or benchmarks).
#   docker build -t sna-chatops .
#   docker run --env-file .env -p 8080:8080 -v sna-chatops-data:/app/data sna-chatops
# The TypeScript is bundled into dist/ (`npm run build`, esbuild) in the build stage; the runtime
# image runs plain `node dist/bot/main.mjs`, as `npm start` does, with production dependencies only
# (esbuild and tsx are devDependencies: the image never builds at start).
# Not built in CI (no Docker engine there): check it with `docker build` before relying on it.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: installs every dependency (sqlite3 compiles with node-gyp when no prebuilt binary can be
# --- downloaded, so the build tools live in this stage only), bundles dist/bot/main.mjs and
# --- dist/scripts/smoke.mjs with esbuild (run by tsx: both are devDependencies), then drops the
# --- devDependencies so that node_modules holds what `npm ci --omit=dev` would install, sqlite3 already built.
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# .npmrc sets legacy-peer-deps=true, which keeps React Native (a peer dependency of the SDK) out.
# package.json's allowScripts lets sqlite3 build and keeps esbuild's and core-js's install scripts off.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bot ./bot
COPY cards ./cards
COPY integrations ./integrations
COPY scripts/build.ts scripts/smoke.ts ./scripts/
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
# `docker run --rm --env-file .env sna-chatops node dist/scripts/smoke.mjs`: read-only checks.
# The default STATE_URL (sqlite://./data/state.sqlite) resolves to /app/data: a volume owned by the
# unprivileged `node` user (uid 1000) of the base image. A bind mount must be writable by uid 1000.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8080
# Liveness: /healthz answers 200 while the process serves (also in websocket mode). Load balancers
# should route on /readyz instead (503 until Webex is initialized and the state store answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# What `npm start` runs, without npm in between: node is PID 1 and gets SIGTERM itself. The bot
# stops cleanly on SIGTERM within 15 s, so give `docker stop` more than its default 10 s (-t 20).
CMD ["node", "--max-semi-space-size=4", "dist/bot/main.mjs"]
