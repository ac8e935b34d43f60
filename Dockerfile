# glibc base: @temporalio/core-bridge ships no musl (Alpine) binary.
FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# tsx is a runtime dependency: the image runs the same `npm run api|worker|db:migrate` as a developer.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY drizzle ./drizzle
COPY bin ./bin
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
