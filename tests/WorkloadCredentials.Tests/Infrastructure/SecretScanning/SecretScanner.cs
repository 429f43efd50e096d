using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// The suite-wide secret scan: every channel the test run observes (log records, exceptions, tool and sample output, span and
/// metric tags) is passed to <see cref="Check"/>, which looks for any <see cref="SecretRegistry"/> secret and records a
/// <see cref="SecretLeak"/> against the running test. <see cref="SecretScanAttribute"/> fails that test when it ends;
/// <see cref="SecretScanFixture"/> fails the run for leaks that no running test could be blamed for.
/// </summary>
public static class SecretScanner
{
    /// <summary>The test name used for leaks that happen outside any test (fixtures, background work after a test ended).</summary>
    public const string NoTest = "(no running test)";

    private const int ExcerptContext = 60;
    private const int ExcerptMaxLength = 240;

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<SecretLeak>> ByTest = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> FinishedTests = new(StringComparer.Ordinal);
    private static readonly ConcurrentQueue<SecretLeak> Unattributed = new();
    private static readonly AsyncLocal<List<SecretLeak>?> Capturing = new();

    /// <summary>Finds the leaks in <paramref name="text"/> without recording them (a pure check, for tests of the scanner).</summary>
    public static IReadOnlyList<SecretLeak> Inspect(string? text, string channel, string test = NoTest)
    {
        IReadOnlyList<SecretHit> hits = SecretRegistry.Find(text);
        if (hits.Count == 0)
        {
            return [];
        }

        bool[] masked = SecretRegistry.MarkSecrets(text!);
        return [.. hits.Select(h => new SecretLeak(test, channel, h.Secret.Kind, h.Secret.Name, Excerpt(text!, masked, h)))];
    }

    /// <summary>
    /// Scans <paramref name="text"/> seen on <paramref name="channel"/> and records every leak against the running test (or
    /// <paramref name="test"/> when the caller knows better, e.g. a process started by a test whose output arrives later).
    /// </summary>
    public static void Check(string? text, string channel, TestIdentity? test = null)
    {
        IReadOnlyList<SecretHit> hits = SecretRegistry.Find(text);
        if (hits.Count == 0)
        {
            return;
        }

        TestIdentity owner = test ?? TestIdentity.Current;
        foreach (SecretLeak leak in Inspect(text, channel, owner.DisplayName))
        {
            Record(owner, leak);
        }
    }

    /// <summary>Scans an exception: its <see cref="Exception.ToString"/> and the message of it and every inner exception.</summary>
    public static void CheckException(Exception exception, string channel = "exception")
    {
        Check(ExceptionText(exception), $"{channel} {exception.GetType().FullName}");
    }

    /// <summary>
    /// Everything an exception shows: <see cref="Exception.ToString"/> (which includes the inner ones) and, because some types
    /// override <c>ToString</c>, the type and message of it and every inner exception (aggregates included, 32 at most).
    /// </summary>
    public static string ExceptionText(Exception exception)
    {
        var text = new System.Text.StringBuilder();
        AppendSafely(text, exception.ToString);
        var pending = new Queue<Exception>([exception]);
        for (int seen = 0; pending.Count > 0 && seen < 32; seen++)
        {
            Exception current = pending.Dequeue();
            text.Append('\n').Append(current.GetType().FullName).Append(": ");
            AppendSafely(text, () => current.Message);
            if (current is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Enqueue(inner);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Within the returned scope (this async flow only), leaks go to <paramref name="captured"/> instead of failing the test:
    /// for the tests that prove a deliberate leak is caught end to end. Nothing else may use it.
    /// </summary>
    public static IDisposable CaptureLeaks(out IReadOnlyList<SecretLeak> captured)
    {
        var list = new List<SecretLeak>();
        captured = list;
        List<SecretLeak>? previous = Capturing.Value;
        Capturing.Value = list;
        return new Scope(() => Capturing.Value = previous);
    }

    /// <summary>Marks a test finished and returns (and forgets) the leaks recorded against it.</summary>
    internal static IReadOnlyList<SecretLeak> Finish(string testUniqueId)
    {
        FinishedTests.TryAdd(testUniqueId, 0);
        return ByTest.TryRemove(testUniqueId, out ConcurrentQueue<SecretLeak>? leaks) ? [.. leaks] : [];
    }

    /// <summary>Leaks recorded outside a test, or after the test they belong to ended (checked once, at the end of the run).</summary>
    internal static IReadOnlyList<SecretLeak> TakeUnattributed()
    {
        var leaks = new List<SecretLeak>();
        while (Unattributed.TryDequeue(out SecretLeak? leak))
        {
            leaks.Add(leak);
        }

        foreach (string test in ByTest.Keys)
        {
            if (ByTest.TryRemove(test, out ConcurrentQueue<SecretLeak>? late))
            {
                leaks.AddRange(late);
            }
        }

        return leaks;
    }

    /// <summary>The failure message for <paramref name="leaks"/>: one line per leak, never a secret.</summary>
    internal static string Describe(IReadOnlyCollection<SecretLeak> leaks, string where) =>
        $"Secret scan: {leaks.Count} leak(s) {where}. A registered test secret (or a fragment of {SecretRegistry.FragmentLength}+ characters of one) "
        + "reached a channel it must never reach (see tests/README.md, 'Secret scan'):\n"
        + string.Join('\n', leaks.Select(l => "- " + l));

    private static void Record(TestIdentity owner, SecretLeak leak)
    {
        if (Capturing.Value is { } captured)
        {
            lock (captured)
            {
                captured.Add(leak);
            }

            return;
        }

        if (owner.UniqueId is { } id && !FinishedTests.ContainsKey(id))
        {
            ByTest.GetOrAdd(id, static _ => new ConcurrentQueue<SecretLeak>()).Enqueue(leak);
        }
        else
        {
            Unattributed.Enqueue(leak);
        }
    }

    private static string Excerpt(string text, bool[] masked, SecretHit hit)
    {
        int start = Math.Max(0, hit.Index - ExcerptContext);
        int runEnd = hit.Index + hit.Length;
        while (runEnd < text.Length && masked[runEnd])
        {
            runEnd++;
        }

        int end = Math.Min(text.Length, runEnd + ExcerptContext);
        var excerpt = new System.Text.StringBuilder(end - start + 8);
        for (int i = start; i < end; i++)
        {
            if (!masked[i])
            {
                excerpt.Append(text[i]);
            }
            else if (i == start || !masked[i - 1])
            {
                excerpt.Append("***");
            }
        }

        return (start > 0 ? "..." : string.Empty) + SafeText.Escape(excerpt.ToString(), ExcerptMaxLength) + (end < text.Length ? "..." : string.Empty);
    }

    private static void AppendSafely(System.Text.StringBuilder text, Func<string> part)
    {
        try
        {
            text.Append(part());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            text.Append("(could not be read: ").Append(ex.GetType().Name).Append(')');
        }
    }

    private sealed class Scope(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                end();
            }
        }
    }
}
