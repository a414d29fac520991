// A TCP port free on loopback right now, for a child process that must be told its port up front
// (a gateway, Redis, PostgreSQL, a chain). One implementation: the local chain's own (`startLocalChain`
// with port 0 needs it outside tests too), which tests and benchmarks take from here.
export { freePort } from "@fomo/deploy";
