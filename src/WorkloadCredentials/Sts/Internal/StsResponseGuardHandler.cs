using System.Net;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Sits under every STS HTTP client: a redirect (3xx) is never followed but turned into <see cref="StsRedirectException"/>, because
/// the request carries a web identity token or signed credentials; and the answer is read here, with the caller's cancellation, into
/// at most <see cref="MaxResponseBytes"/> bytes (an announced or actual larger answer is <see cref="StsResponseTooLargeException"/>),
/// so that neither an endless nor a trickled answer can exhaust memory or outlive the attempt timeout.
/// </summary>
internal sealed class StsResponseGuardHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>The most an STS answer may hold: STS credentials answers are a few KiB.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    private const int ChunkBytes = 8 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw new StsRedirectException(status, request.RequestUri?.Host ?? "(unknown)", TargetHost(request.RequestUri, response.Headers.Location));
            }

            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                throw new StsResponseTooLargeException(MaxResponseBytes, status);
            }

            HttpContent buffered = await BufferAsync(response.Content, status, cancellationToken).ConfigureAwait(false);
            response.Content.Dispose();
            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string TargetHost(Uri? requestUri, Uri? location)
    {
        if (location is null)
        {
            return "(no Location header)";
        }

        Uri? target = location.IsAbsoluteUri ? location : requestUri is null ? null : new Uri(requestUri, location);
        return target is null || string.IsNullOrEmpty(target.Host) ? "(unknown)" : target.IdnHost;
    }

    private static async Task<HttpContent> BufferAsync(HttpContent content, int status, CancellationToken cancellationToken)
    {
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = new byte[Math.Min(MaxResponseBytes + 1, (int?)content.Headers.ContentLength + 1 ?? ChunkBytes)];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > MaxResponseBytes)
                    {
                        throw new StsResponseTooLargeException(MaxResponseBytes, status);
                    }

                    Array.Resize(ref buffer, Math.Min(MaxResponseBytes + 1, buffer.Length * 2));
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > MaxResponseBytes)
            {
                throw new StsResponseTooLargeException(MaxResponseBytes, status);
            }

            var buffered = new ByteArrayContent(buffer, 0, length);
            foreach (KeyValuePair<string, IEnumerable<string>> header in content.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            buffered.Headers.ContentLength = length;
            return buffered;
        }
    }
}
