using Microsoft.Extensions.DependencyInjection;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>
/// The marker that makes <c>AddWorkloadCredentials</c> idempotent, and the record of which options names were registered and
/// which configuration section each was bound from (so that validation errors name the configuration key).
/// </summary>
internal sealed class WorkloadCredentialsRegistry
{
    private readonly Dictionary<string, string?> _names = new(StringComparer.Ordinal);

    public WorkloadCredentialsRegistry(IServiceCollection services) => Services = services;

    /// <summary>Gets the collection the registrations were made in: read at start-up to notice AWS SDK clients that would not sign with them.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the registered names (<see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the default registration).</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_names)
            {
                return [.. _names.Keys];
            }
        }
    }

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
