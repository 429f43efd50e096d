using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Answers of a hostile HTTP endpoint, for <see cref="LoopbackHttpServer"/> handlers: a redirect, an endless body, a body that
/// trickles one byte per 100 ms, JSON nested 10,000 deep, bytes that are not UTF-8. Each stops when the client goes away.
/// </summary>
internal static class HostileAnswers
{
    public const int DeepNesting = 10_000;

    /// <summary>A 307 to <paramref name="target"/> (a second loopback server that must never be asked).</summary>
    public static Task RedirectAsync(HttpContext http, Uri target)
    {
        http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        http.Response.Headers.Location = target.ToString();
        return Task.CompletedTask;
    }

    /// <summary>Writes 'A' in 8 KiB chunks until the client closes the connection; counts the bytes in <paramref name="written"/>.</summary>
    public static async Task EndlessAsync(HttpContext http, StrongBox<long> written)
    {
        byte[] chunk = Encoding.ASCII.GetBytes(new string('A', 8192));
        http.Response.ContentType = "application/json";
        try
        {
            await http.Response.Body.WriteAsync("{\"AccessKeyId\":\""u8.ToArray(), http.RequestAborted);
            while (!http.RequestAborted.IsCancellationRequested)
            {
                await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
                Interlocked.Add(ref written.Value, chunk.Length);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    /// <summary>Writes <paramref name="body"/> one byte per 100 ms.</summary>
    public static async Task TrickleAsync(HttpContext http, string body)
    {
        http.Response.ContentType = "application/json";
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        try
        {
            foreach (byte b in bytes)
            {
                await http.Response.Body.WriteAsync(new[] { b }, http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(100, http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    /// <summary>A 200 whose body is <see cref="DeepNesting"/> nested arrays.</summary>
    public static Task DeepJsonAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(new string('[', DeepNesting) + new string(']', DeepNesting));
    }

    /// <summary>A 200 credentials document whose access key id holds bytes that are not UTF-8 (0xFF 0xFE).</summary>
    public static Task BadUtf8Async(HttpContext http, string secret, string token)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        byte[] body =
        [
            .. "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIA"u8,
            0xFF,
            0xFE,
            .. Encoding.ASCII.GetBytes($"(\",\"SecretAccessKey\":\"{secret}\",\"Token\":\"{token}\",\"Expiration\":\"2030-01-01T00:00:00Z\"}}"),
        ];
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
