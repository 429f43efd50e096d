using System.Globalization;
using WorkloadCredentials.Soak;

// Issue 15 item 2: a soak of a real process. Usage:
//   dotnet run -c Release --project benchmarks/WorkloadCredentials.Soak -- --minutes N [--seed S] [--workers W] [--rate R] [--source sts|imds] [--lifetime-seconds L]
// Ends with one line "soak: N requests, N failed, p99 X ms, memory A->B MiB, sockets C->D"; exits 1 when a request failed, S3
// saw bad credentials, a secret reached the app's output, or memory or sockets grew beyond the bounds in SoakRun.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return await new SoakRun(SoakOptions.Parse(args)).RunAsync();
