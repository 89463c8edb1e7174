#!/usr/bin/env node
// Installed before the package is built, so the bin resolves; the CLI itself is bundled to dist/cli.js (scripts/bundle.ts).
import '../dist/cli.js';
