// What require() of this package loads (the "require" condition of its exports): the package is
// an ES module only, so this says how to load it instead of Node's bare ERR_PACKAGE_PATH_NOT_EXPORTED.
'use strict';
const { name } = require('./package.json');
const error = new Error(
  `${name} is an ES module only package and cannot be loaded with require(). ` +
    `Load it with import from an ES module (a .mjs file, or "type": "module" in your package.json; ` +
    `in TypeScript, "module": "NodeNext"), or with await import('${name}') from CommonJS.`,
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
