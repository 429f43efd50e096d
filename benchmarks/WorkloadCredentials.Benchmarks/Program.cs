using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using WorkloadCredentials.Benchmarks;

// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- --filter '*HotPath*' --job short
// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- refresh-latency
// dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- uploader-interleaved
if (args is ["refresh-latency"])
{
    return RefreshLatency.Run();
}

if (args is ["uploader-interleaved"])
{
    UploaderBenchmarks.RunInterleaved();
    return 0;
}

ManualConfig config = ManualConfig.Create(DefaultConfig.Instance).AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
