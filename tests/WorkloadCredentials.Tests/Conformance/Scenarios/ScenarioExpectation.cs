namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>How a failed run is classified: the chain moves on past an unavailable source and stops at a failed one.</summary>
internal enum ErrorCategory
{
    /// <summary>No category chosen (an expectation must choose one for every error scenario).</summary>
    None,

    /// <summary><see cref="CredentialUnavailableException"/>: not configured, the chain moves on.</summary>
    Unavailable,

    /// <summary><see cref="AwsCredentialException"/> (not unavailable): configured but failing, the chain stops.</summary>
    Failed,
}

/// <summary>What one scenario must produce with this library; see <see cref="ScenarioExpectations"/>.</summary>
internal sealed record ScenarioExpectation
{
    /// <summary>Gets the expected credentials (the recording's, unless a deliberate difference changes them), or <see langword="null"/> for a failure.</summary>
    public ExpectedCredentials? Credentials { get; init; }

    public ErrorCategory Category { get; init; }

    /// <summary>Gets a key phrase of our error message, standing for the Rust error text.</summary>
    public string? Phrase { get; init; }

    /// <summary>Gets a second key phrase of our error message, or <see langword="null"/>.</summary>
    public string? SecondPhrase { get; init; }

    /// <summary>Gets the least number of retry backoffs the run must sleep (recorded retries), or 0.</summary>
    public int MinimumBackoffSleeps { get; init; }

    /// <summary>Gets the expected <see cref="AwsCredentialException.IsRecoverable"/>, or <see langword="null"/> to leave it unchecked.</summary>
    public bool? Recoverable { get; init; }

    /// <summary>Gets the <see cref="AwsCredentials.SourceName"/> the credentials must carry, or <see langword="null"/>.</summary>
    public string? SourceName { get; init; }

    /// <summary>
    /// Gets the unrecorded extended-API requests the run makes, in order (each answered 404, as by an IMDS without the extended
    /// API): the role is discovered on the legacy listing, then its credentials are asked of the extended API first.
    /// </summary>
    public IReadOnlyList<string> ExtendedApiProbes { get; init; } = [];

    /// <summary>Gets requests we send after the recording because we deliberately differ from smithy-rs, with their answers.</summary>
    public IReadOnlyList<RecordedExchange> Appendix { get; init; } = [];

    /// <summary>Gets where and why we deliberately differ from smithy-rs in this scenario, or <see langword="null"/>.</summary>
    public string? Difference { get; init; }

    /// <summary>The secret values (eight characters or more: keys, tokens, the SSO access and refresh tokens and client secret) that must appear in no log, error text or credentials text.</summary>
    public IEnumerable<string> Secrets(SmithyScenario scenario)
    {
        string?[] candidates =
        [
            scenario.Expected?.SecretAccessKey, scenario.Expected?.SessionToken,
            Credentials?.SecretAccessKey, Credentials?.SessionToken,
            "imdstoken", "TESTSECRETKEY", "TESTSESSIONTOKEN", "secretkeycorrect", "tokencorrect", "SECRETKEYTEST", "SESSIONTOKEN_TEST",
            "secret-access-token", "secret-refresh-token", "ABCDE123",
        ];
        return candidates.OfType<string>().Where(s => s.Length >= 8).Distinct(StringComparer.Ordinal);
    }
}
