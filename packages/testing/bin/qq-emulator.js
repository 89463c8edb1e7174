#!/usr/bin/env node
// Installed before the package is built, so the bin resolves; the CLI itself is compiled to dist/.
import '../dist/cli.js';
