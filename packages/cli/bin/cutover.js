#!/usr/bin/env node
// Committed (npm links bins before the workspace's build has run), and first: Node's module compile
// cache (Node 22.1+) must be switched on before the bundled command line is loaded.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/bundle/bin.js');
