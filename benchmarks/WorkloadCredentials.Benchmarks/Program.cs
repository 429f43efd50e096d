using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using WorkloadCredentials.Benchmarks;

// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- --filter '*HotPath*' --job short
// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- refresh-latency
// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- uploader-interleaved
// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- first-credentials-cold Container ours (or aws-sdk)
// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- first-credentials-wire Container (or WebIdentity, InstanceMetadata)
if (args is ["refresh-latency"])
{
    return RefreshLatency.Run();
}

if (args is ["first-credentials-wire", string wireSource])
{
    FirstCredentialsBenchmarks.CountWire(Enum.Parse<FirstCredentialsBenchmarks.Source>(wireSource), operations: 50);
    return 0;
}

if (args is ["first-credentials-cold", string coldSource, string side])
{
    TimeSpan first = FirstCredentialsBenchmarks.TimeColdFirst(Enum.Parse<FirstCredentialsBenchmarks.Source>(coldSource), side);
    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{coldSource} {side} cold first: {first.TotalMilliseconds:F2} ms"));
    return 0;
}

if (args is ["uploader-interleaved"])
{
    UploaderBenchmarks.RunInterleaved();
    return 0;
}

ManualConfig config = ManualConfig.Create(DefaultConfig.Instance).AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
