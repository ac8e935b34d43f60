# glibc base: @temporalio/core-bridge ships no musl (Alpine) binary.
FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# tsx and esbuild are runtime dependencies: the image runs the same `npm run api|worker|db:migrate` as a developer.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY drizzle ./drizzle
COPY bin ./bin
COPY web ./web
# `npm run api|worker` bundles the sources into dist/ before starting (plain node, no loader thread):
# built once here, and writable by the user that rebuilds it at each start.
RUN npm run build && chown -R node:node dist
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
