// The broker server: createBroker() (built in packages/broker/src/server, storage in src/storage).
export {};
