export * from './tracking-api.js';
