export { buildApp } from "./app.ts";
export { createGateway, type Gateway } from "./gateway.ts";
export { jsonLogger, silentLogger, type Logger } from "./log.ts";
export { startServer, type RunningServer } from "./start.ts";
