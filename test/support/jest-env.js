// Suites that boot the app start from an empty store unless they seed it themselves.
process.env.DEMO_DATA = 'off';
