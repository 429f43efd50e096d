namespace WorkloadCredentials.Profiles.Internal;

/// <summary>An endpoint URL set by configuration, and which setting set it (for messages).</summary>
internal sealed class ConfiguredEndpoint
{
    public ConfiguredEndpoint(string url, string origin)
    {
        Url = url;
        Origin = origin;
    }

    public string Url { get; }

    /// <summary>Gets the setting: <c>AWS_ENDPOINT_URL_STS</c>, <c>endpoint_url of profile 'dev' (file line 3)</c>...</summary>
    public string Origin { get; }

    public override string ToString() => $"{Url} (from {Origin})";
}
