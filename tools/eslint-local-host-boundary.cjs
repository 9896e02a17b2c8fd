/**
 * ESLint rule `boundary/local-host`: the local host (`packages/local-host/`) and the app around it meet only at the
 * package's public entry points. The app imports `durable-local-host` or `durable-local-host/testing`, never a file
 * of the package; the package imports nothing of the app. A relative import that crosses the package folder, either
 * way, and a deep import of the package by name are errors.
 */
const path = require('node:path');

const PACKAGE_NAME = 'durable-local-host';
const PUBLIC_ENTRIES = new Set([PACKAGE_NAME, `${PACKAGE_NAME}/testing`]);
const PACKAGE_DIR = path.join(__dirname, '..', 'packages', 'local-host');

const inside = (file) => file === PACKAGE_DIR || file.startsWith(PACKAGE_DIR + path.sep);

/** The problem with importing `source` from `file`, or undefined. */
function problem(file, source) {
  if (source.startsWith('.')) {
    const target = path.resolve(path.dirname(file), source);
    if (inside(file) && !inside(target)) return 'appFromPackage';
    if (!inside(file) && inside(target)) return 'packageInternals';
    return undefined;
  }
  if ((source === PACKAGE_NAME || source.startsWith(`${PACKAGE_NAME}/`)) && !PUBLIC_ENTRIES.has(source)) {
    return 'packageInternals';
  }
  return undefined;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'keeps the local host package and the app apart' },
    schema: [],
    messages: {
      packageInternals: `'{{source}}' reaches into the local host package: import '${PACKAGE_NAME}' or '${PACKAGE_NAME}/testing'.`,
      appFromPackage:
        "'{{source}}' reaches out of the local host package into the app: the package must not depend on it.",
    },
  },
  create(context) {
    const check = (node) => {
      if (node === null || node === undefined || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const messageId = problem(context.filename, node.value);
      if (messageId !== undefined) context.report({ node, messageId, data: { source: node.value } });
    };
    const isModuleCall = (callee) =>
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'jest' &&
        callee.property.type === 'Identifier' &&
        ['mock', 'requireActual', 'doMock'].includes(callee.property.name));
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (isModuleCall(node.callee)) check(node.arguments[0]);
      },
    };
  },
};

module.exports = { rules: { 'local-host': rule } };
