# syntax=docker/dockerfile:1
# vi-bff: build with the dev toolchain, run with production dependencies only.

FROM node:24.21-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24.21-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="vi-bff" \
      org.opencontainers.image.description="Backend-for-frontend in front of the Datature Vi datasets API"
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
# glibc returns freed heap memory to the kernel past 128 KiB by default; archive streaming frees ~32 MiB of
# socket buffers per GC, so every GC was followed by a page-fault storm (3x the CPU per GiB, bench/RESULTS.md).
ENV MALLOC_TRIM_THRESHOLD_=67108864
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
