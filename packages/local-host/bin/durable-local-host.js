#!/usr/bin/env node
// The durable-local-host CLI. The package is TypeScript: this runs its compiled entry (`npm run build` makes it).
void require('../dist/start.js').main(process.argv.slice(2));
