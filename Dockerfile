# xxgk-convert service image. Both stages run scripts/setup.sh, the same install steps as the README.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Where no prebuilt better-sqlite3 can be downloaded, node-gyp compiles it: with the compilers that
# `setup.sh --build-stage` installs here only, and with this image's own Node headers instead of a download.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json tsconfig.json ./
COPY scripts/setup.sh scripts/trim-node-modules.sh scripts/
COPY src ./src
COPY web ./web
RUN bash scripts/setup.sh --build-stage && npm prune --omit=dev --no-audit --no-fund \
  && bash scripts/trim-node-modules.sh node_modules

FROM node:20-bookworm-slim
WORKDIR /app
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh --system-only && rm -rf /var/lib/apt/lists/*
# The service runs as node (uid 1000) and writes its database and files here. The folder is a volume, so
# results outlive the container; a host folder mounted on it must belong to uid 1000.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
ENV HOST=0.0.0.0 PORT=8080 NODE_ENV=production XXGK_DATA_DIR=/app/data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/cli/main.js", "serve"]
