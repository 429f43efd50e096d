using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// An environment for tests that build the default chain: it starts with instance metadata disabled and the shared files
/// pointing nowhere, so that nothing reaches 169.254.169.254 or the developer's ~/.aws; a test sets what it needs on top.
/// </summary>
public sealed class TestEnvironment : IEnvironment
{
    private readonly DictionaryEnvironment _inner;

    public TestEnvironment(IEnumerable<KeyValuePair<string, string>>? variables = null)
    {
        _inner = new DictionaryEnvironment(SafeDefaults);
        foreach (KeyValuePair<string, string> pair in variables ?? [])
        {
            _inner[pair.Key] = pair.Value;
        }
    }

    /// <summary>
    /// What every test environment, this test process (<see cref="NetworkSafety"/>) and every sample process it starts begin with:
    /// instance metadata disabled and shared AWS files that do not exist.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SafeDefaults { get; } = CreateSafeDefaults();

    public string? this[string name]
    {
        get => _inner.Get(name);
        set => _inner[name] = value;
    }

    public string? Get(string name) => _inner.Get(name);

    private static KeyValuePair<string, string>[] CreateSafeDefaults()
    {
        string nowhere = Path.Combine(Path.GetTempPath(), "workload-credentials-tests-no-aws-files");
        return
        [
            new("AWS_EC2_METADATA_DISABLED", "true"),
            new("AWS_CONFIG_FILE", Path.Combine(nowhere, "config")),
            new("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(nowhere, "credentials")),
        ];
    }
}
