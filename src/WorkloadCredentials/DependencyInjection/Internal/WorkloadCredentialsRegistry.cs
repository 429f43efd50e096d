namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>
/// The marker that makes <c>AddWorkloadCredentials</c> idempotent, and the record of which options names were registered and
/// which configuration section each was bound from (so that validation errors name the configuration key).
/// </summary>
internal sealed class WorkloadCredentialsRegistry
{
    private readonly Dictionary<string, string?> _names = new(StringComparer.Ordinal);

    /// <summary>Records a name; returns <see langword="false"/> when it was registered already.</summary>
    public bool TryRegister(string name)
    {
        lock (_names)
        {
            return _names.TryAdd(name, null);
        }
    }

    public void SetConfigurationPath(string name, string path)
    {
        lock (_names)
        {
            _names[name] = path;
        }
    }

    public string? GetConfigurationPath(string? name)
    {
        lock (_names)
        {
            return _names.TryGetValue(name ?? string.Empty, out string? path) ? path : null;
        }
    }
}
