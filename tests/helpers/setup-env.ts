// Test-process environment set-up (see tests/helpers).
// Keep the Webex SDK quiet and never let it reach for a proxy when talking to the simulators.
process.env.WEBEX_LOG_LEVEL ??= 'silent';
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';
