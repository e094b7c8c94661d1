export { CircuitBreaker } from "./breaker.ts";
export { EndpointRegistry, candidates, reachableModels, type EndpointState, type RouteRequest } from "./registry.ts";
export { dispatch, type Attempt, type Dispatched, type DispatchOptions } from "./dispatch.ts";
