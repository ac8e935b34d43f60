# glibc base: @temporalio/core-bridge ships no musl (Alpine) binary.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
USER node
