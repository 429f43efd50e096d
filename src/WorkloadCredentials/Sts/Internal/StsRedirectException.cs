using System.Globalization;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>An STS endpoint answered with a redirect, which is never followed: the request carries a token or signed credentials.</summary>
internal sealed class StsRedirectException : Exception
{
    public StsRedirectException()
    {
    }

    public StsRedirectException(string message)
        : base(message)
    {
    }

    public StsRedirectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <param name="statusCode">The 3xx status.</param>
    /// <param name="endpointHost">The host that answered.</param>
    /// <param name="targetHost">The host the redirect points to (never its path or query, which may carry anything).</param>
    public StsRedirectException(int statusCode, string endpointHost, string targetHost)
        : base(string.Create(CultureInfo.InvariantCulture, $"{endpointHost} answered HTTP {statusCode} with a redirect to host {targetHost}; redirects are never followed."))
    {
        StatusCode = statusCode;
        TargetHost = targetHost;
    }

    /// <summary>Gets the 3xx status.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the host the redirect points to, already safe to show (an IDN host, escaped by <see cref="Uri"/>).</summary>
    public string TargetHost { get; } = string.Empty;
}
