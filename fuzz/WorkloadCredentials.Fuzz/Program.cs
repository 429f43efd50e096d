using SharpFuzz;
using WorkloadCredentials.Tests.Fuzzing.Invariants;

// Usage: WorkloadCredentials.Fuzz <target> < input
// Under afl-fuzz (run.sh) the input comes on standard input once per execution, and an exception that escapes is a crash. Outside
// afl-fuzz the target runs once on standard input (replay a saved crash or hang that way) and the exception, if any, is printed.
// Standard input is read through Fuzzer.Run in both cases: it sets up the trace map the instrumented library writes to.
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: WorkloadCredentials.Fuzz <target> < input; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
