using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

// The suite-wide secret scan (tests/README.md, "Secret scan"): every test is checked when it ends, the run once at the end.
[assembly: SecretScan]
[assembly: AssemblyFixture(typeof(SecretScanFixture))]
