/** The embedded llama.cpp engine: the only door other folders use. */
export { LlamaEngine, type LlamaEngineOptions } from "./engine.ts";
