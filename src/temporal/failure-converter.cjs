// Loaded by path (DataConverter.failureConverterPath) by the client, the worker and the workflow
// bundle: failure messages and stack traces travel as an encoded payload, so the payload codec
// encrypts them too. Plain CommonJS so that both `require()` and the workflow bundler take it as is.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
