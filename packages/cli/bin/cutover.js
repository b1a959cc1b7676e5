#!/usr/bin/env node
// A committed launcher: npm links bins before the workspace's `prepare` build has written dist/.
import '../dist/bin.js';
