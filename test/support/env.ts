// The library loads the v2 SDK, which prints an end-of-support notice on load; tests need quiet output.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
// No test may reach a real AWS endpoint; integration tests point the SDK at their moto server.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
