// The one Pact Broker client, used by verify, the gate and the broker's own tests.
export {};
