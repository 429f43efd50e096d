using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Internal;

/// <summary>How the host sources read an answer's body: at most <see cref="MaxResponseBytes"/>, and strictly as UTF-8.</summary>
internal static partial class HostHttp
{
    /// <summary>The problem of an answer whose body is larger than <see cref="MaxResponseBytes"/>.</summary>
    public const string TooLargeProblem = "the answer is larger than 64 KiB, more than any credentials document";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Sends <paramref name="request"/> and buffers the answer (at most <see cref="MaxResponseBytes"/>, within the caller's
    /// token, so a pipeline's timeout covers a trickling body too).
    /// </summary>
    /// <exception cref="HostAnswerTooLargeException">The answer's body is larger than <see cref="MaxResponseBytes"/>: not transient.</exception>
    public static async ValueTask<HttpResponseMessage> SendBufferedAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // The buffer limit (or the header limit): a retry would get the same answer.
            throw new HostAnswerTooLargeException();
        }
    }

    /// <summary>
    /// Reads the buffered body as strict UTF-8 (a byte order mark is skipped). Invalid bytes are a problem, never U+FFFD.
    /// </summary>
    /// <returns>The text and <see langword="null"/>, or <see langword="null"/> and the problem (never quoting the body).</returns>
    public static async ValueTask<(string? Text, string? Problem)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length > MaxResponseBytes)
        {
            return (null, TooLargeProblem);
        }

        ReadOnlySpan<byte> span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }

        try
        {
            return (StrictUtf8.GetString(span), null);
        }
        catch (DecoderFallbackException ex)
        {
            int offset = ex.Index >= 0 ? ex.Index : 0;
            return (null, string.Create(CultureInfo.InvariantCulture, $"the answer is not valid UTF-8 (an invalid byte sequence near byte {offset})"));
        }
    }

    /// <summary>Whether <paramref name="status"/> is a redirect (3xx): never followed by the host sources.</summary>
    public static bool IsRedirect(System.Net.HttpStatusCode status) => (int)status is >= 300 and <= 399;
}
