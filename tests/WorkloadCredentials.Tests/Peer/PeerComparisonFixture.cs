using System.Diagnostics;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Sts.Fakes;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Peer;

/// <summary>
/// Resolves every environment once with each peer, both at the same time, against one <see cref="PeerFakeServer"/>: slot 2i
/// is botocore's for environment i, slot 2i+1 the library's, each with its own home directory. The tests then only compare.
/// </summary>
public sealed class PeerComparisonFixture : IAsyncLifetime
{
    private readonly TempDirectory _homes = new();
    private PeerFakeServer? _fake;

    internal string BotocoreVersion { get; private set; } = string.Empty;

    internal IReadOnlyDictionary<string, PeerResult> Botocore { get; private set; } = new Dictionary<string, PeerResult>();

    internal IReadOnlyDictionary<string, PeerResult> Library { get; private set; } = new Dictionary<string, PeerResult>();

    internal TimeSpan Elapsed { get; private set; }

    internal TimeSpan BotocoreElapsed { get; private set; }

    internal TimeSpan LibraryElapsed { get; private set; }

    /// <summary>The method and path of every request each peer made for an environment.</summary>
    internal (IReadOnlyList<string> Botocore, IReadOnlyList<string> Library) Requests(string name)
    {
        int index = IndexOf(name);
        return (_fake!.Requests(2 * index), _fake.Requests((2 * index) + 1));
    }

    public async ValueTask InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        IReadOnlyList<PeerEnvironment> all = PeerEnvironments.All;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        _fake = await PeerFakeServer.StartAsync(2 * all.Count, timeout.Token);
        var botocoreInput = new List<(string, IReadOnlyDictionary<string, string>, string?)>();
        var libraryInput = new List<(PeerEnvironment, IReadOnlyDictionary<string, string>)>();

        // Environments with faults (retries, slow answers) start first on both sides, so that they do not end up last and alone.
        foreach ((PeerEnvironment environment, int i) in all.Select((e, i) => (e, i)).OrderByDescending(p => p.e.Faults != PeerFaults.None))
        {
            string botocoreEndpoint = _fake.Arm(2 * i, environment.Faults);
            string libraryEndpoint = _fake.Arm((2 * i) + 1, environment.Faults);
            botocoreInput.Add((environment.Name, environment.Materialize(botocoreEndpoint, Home(i, "botocore")), environment.ExplicitProfile));
            libraryInput.Add((environment, environment.Materialize(libraryEndpoint, Home(i, "library"))));
        }

        Task<(string, IReadOnlyDictionary<string, PeerResult>)> botocore = TimedAsync(
            () => BotocorePeer.ResolveAsync(botocoreInput, parallelism: 6, timeout.Token),
            elapsed => BotocoreElapsed = elapsed);
        using var gate = new SemaphoreSlim(4);
        KeyValuePair<string, PeerResult>[] library = await Task.WhenAll(libraryInput.Select(async pair =>
        {
            await gate.WaitAsync(timeout.Token);
            try
            {
                return KeyValuePair.Create(pair.Item1.Name, await ResolveWithLibraryAsync(pair.Item1, pair.Item2, timeout.Token));
            }
            finally
            {
                gate.Release();
            }
        }));
        LibraryElapsed = stopwatch.Elapsed;
        (BotocoreVersion, Botocore) = await botocore;
        Library = library.ToDictionary(StringComparer.Ordinal);
        Elapsed = stopwatch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }

        _homes.Dispose();
    }

    /// <summary>The library's default chain behind its cache, as an application builds it, fetched once.</summary>
    private static async Task<PeerResult> ResolveWithLibraryAsync(PeerEnvironment environment, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var options = new WorkloadCredentialsOptions { Profile = environment.ExplicitProfile };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(NetworkSafety.Guarded(options, new DictionaryEnvironment(variables)));
            AwsCredentials credentials = await cache.GetCredentialsAsync(cancellationToken);
            return new PeerResult(new PeerCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken), credentials.SourceName, stopwatch.Elapsed);
        }
        catch (AwsCredentialException error)
        {
            return new PeerResult(null, error.GetType().Name + ": " + error.Message, stopwatch.Elapsed);
        }
        catch (OptionsValidationException error)
        {
            return new PeerResult(null, error.GetType().Name + ": " + error.Message, stopwatch.Elapsed);
        }
    }

    private static async Task<T> TimedAsync<T>(Func<Task<T>> run, Action<TimeSpan> elapsed)
    {
        var stopwatch = Stopwatch.StartNew();
        T result = await run();
        elapsed(stopwatch.Elapsed);
        return result;
    }

    private static int IndexOf(string name)
    {
        for (int i = 0; i < PeerEnvironments.All.Count; i++)
        {
            if (PeerEnvironments.All[i].Name == name)
            {
                return i;
            }
        }

        throw new ArgumentException("No peer environment named " + name, nameof(name));
    }

    private string Home(int index, string peer)
    {
        string home = Path.Combine(_homes.Path, $"{index:D3}-{peer}");
        Directory.CreateDirectory(home);
        return home;
    }
}
