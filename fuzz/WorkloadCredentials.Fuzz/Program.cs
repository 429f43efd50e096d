using SharpFuzz;
using WorkloadCredentials.Tests.Fuzzing.Invariants;

// Usage: WorkloadCredentials.Fuzz <target> [input-file]
// Under afl-fuzz (run.sh) the input comes on standard input, once per execution; an exception that escapes is a crash.
// With an input file (a crash or hang afl-fuzz saved), the target runs once on it and the exception is printed.
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: WorkloadCredentials.Fuzz <target> [input-file]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length > 1)
{
    target(File.ReadAllBytes(args[1]));
    Console.WriteLine("no invariant broken");
    return 0;
}

Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
