using System.Globalization;

namespace WorkloadCredentials.Tests.Peer;

/// <summary>What a peer resolves in an environment: credentials, or a failure (no fall-through to another source).</summary>
internal sealed record PeerOutcome(PeerCredentials? Credentials, string Path)
{
    public bool Fails => Credentials is null;

    public static PeerOutcome Keys(PeerCredentials credentials, string path) => new(credentials, path);

    public static PeerOutcome Failure(string why) => new(null, "fails: " + why);

    public bool SameAs(PeerCredentials? other) => Credentials is null ? other is null : Credentials == other;

    public override string ToString() => Fails ? Path : $"{Credentials} via {Path}";
}

/// <summary>
/// A difference from botocore, named so that the environment asserting it says why (<see cref="PeerDifferences.Reason"/>). The
/// environment then asserts the library's own outcome, so the test fails when the behaviour changes either way.
/// </summary>
internal enum PeerDifference
{
    None,

    /// <summary>In one profile, <c>credential_process</c> wins over static keys, whichever file holds the keys.</summary>
    CredentialProcessBeforeCredentialsFileKeys,

    /// <summary>Instance metadata retries a transient failure (5xx) by default once it has answered.</summary>
    ImdsRetriesByDefault,
}

/// <summary>Why the library differs from botocore, one reason per <see cref="PeerDifference"/>.</summary>
internal static class PeerDifferences
{
    public static string Reason(PeerDifference difference) => difference switch
    {
        PeerDifference.CredentialProcessBeforeCredentialsFileKeys =>
            "The library reads a profile's config and credentials sections as one profile whose credential_process wins over its static "
            + "keys; botocore tries the credentials file's keys, then credential_process, then the config file's keys. Found by this suite "
            + "and not documented: input for the precedence work (matching botocore means ordering by file).",
        PeerDifference.ImdsRetriesByDefault =>
            "ImdsCredentialOptions.MaxRetryAttempts defaults to 2 (three attempts) once the service has answered, so one 500 is "
            + "retried; botocore makes one attempt unless AWS_METADATA_SERVICE_NUM_ATTEMPTS is set and then moves past instance "
            + "metadata with no credentials. Deliberate and documented: a workload on EC2 should survive one transient IMDS error.",
        _ => throw new ArgumentOutOfRangeException(nameof(difference), difference, "no difference"),
    };
}

/// <summary>
/// One environment both peers resolve: variables, shared files and files under a fresh home directory, an explicit profile
/// (botocore's <c>Session(profile=...)</c>, the library's <c>WorkloadCredentialsOptions.Profile</c>), whether instance metadata
/// is reachable, and faults. <see cref="Expected"/> is what botocore resolves (asserted, so the description stays honest);
/// the library must resolve the same unless <see cref="Difference"/> names why it resolves <see cref="Ours"/> instead.
/// Placeholders in values and files: <c>{endpoint}</c> (the fake, no trailing slash), <c>{home}</c>, <c>{expiration}</c>.
/// </summary>
internal sealed record PeerEnvironment
{
    public required string Name { get; init; }

    public required PeerCategory Category { get; init; }

    /// <summary>Variables on top of the base ones; a null value removes a base variable.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; init; } = new Dictionary<string, string?>();

    public string? Config { get; init; }

    public string? Credentials { get; init; }

    /// <summary>Further files, by path relative to the home directory.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    public string? ExplicitProfile { get; init; }

    /// <summary>Whether instance metadata is enabled (at the fake); when off, <c>AWS_EC2_METADATA_DISABLED=true</c> and no IMDS request may arrive.</summary>
    public bool Imds { get; init; }

    public PeerFaults Faults { get; init; } = PeerFaults.None;

    public required PeerOutcome Expected { get; init; }

    public PeerDifference Difference { get; private init; }

    public string? DifferenceReason => Difference == PeerDifference.None ? null : PeerDifferences.Reason(Difference);

    /// <summary>What the library resolves where it differs.</summary>
    public PeerOutcome? Ours { get; private init; }

    /// <summary>This environment, where the library differs from botocore for <paramref name="difference"/> and resolves <paramref name="ours"/>.</summary>
    public PeerEnvironment Differs(PeerDifference difference, PeerOutcome ours) => this with { Difference = difference, Ours = ours };

    public PeerOutcome OursExpected => Difference == PeerDifference.None ? Expected : Ours!;

    public override string ToString() => Name;

    /// <summary>Writes the files under <paramref name="home"/> and returns the variables a peer resolves with.</summary>
    public IReadOnlyDictionary<string, string> Materialize(string endpoint, string home)
    {
        string expiration = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string Expand(string text) => text.Replace("{endpoint}", endpoint, StringComparison.Ordinal)
            .Replace("{home}", home, StringComparison.Ordinal)
            .Replace("{expiration}", expiration, StringComparison.Ordinal);

        string aws = Path.Combine(home, ".aws");
        Directory.CreateDirectory(aws);
        if (Config is not null)
        {
            File.WriteAllText(Path.Combine(aws, "config"), Expand(Config));
        }

        if (Credentials is not null)
        {
            File.WriteAllText(Path.Combine(aws, "credentials"), Expand(Credentials));
        }

        foreach ((string relative, string content) in Files)
        {
            string path = Path.Combine(home, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Expand(content));
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL_STS"] = endpoint,
            // Always the fake, even when disabled: 169.254.169.254 is never a possible destination.
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = endpoint + "/",
        };
        if (!Imds)
        {
            variables["AWS_EC2_METADATA_DISABLED"] = "true";
        }

        foreach ((string name, string? value) in Variables)
        {
            if (value is null)
            {
                variables.Remove(name);
            }
            else
            {
                variables[name] = Expand(value);
            }
        }

        return variables;
    }
}

/// <summary>What an environment exercises; the suite covers each.</summary>
internal enum PeerCategory
{
    Source,
    Precedence,
    ProfileChain,
    FailureWithoutFallThrough,
    Fault,
}
