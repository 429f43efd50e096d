using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>Credentials documents and answers for IMDS tests. The secret values are distinctive so tests can assert they never leak.</summary>
internal static class ImdsTestData
{
    public const string AccessKeyId = "ASIAIMDSTESTKEY00001";
    public const string SecretAccessKey = "imds-SECRET-access-key-do-not-log";
    public const string SessionToken = "imds-SESSION-token-do-not-log";
    public const string ImdsToken = "imds-v2-TOKEN-do-not-log";
    public const string RoleName = "test-instance-role";

    /// <summary>A well-behaved IMDS: a token for the PUT, the role for a listing, credentials an hour ahead for anything else.</summary>
    public static async Task AnswerAsync(HttpContext http)
    {
        if (http.Request.Method == "PUT")
        {
            await http.Response.WriteAsync(ImdsToken);
        }
        else if (http.Request.Path.Value!.EndsWith('/'))
        {
            await http.Response.WriteAsync(RoleName);
        }
        else
        {
            await http.Response.WriteAsync(CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)));
        }
    }

    public static string CredentialsJson(DateTimeOffset expiration, string? accountId = null, string code = "Success") =>
        "{\n"
        + $"  \"Code\": \"{code}\",\n"
        + "  \"LastUpdated\": \"2026-01-01T00:00:00Z\",\n"
        + "  \"Type\": \"AWS-HMAC\",\n"
        + $"  \"AccessKeyId\": \"{AccessKeyId}\",\n"
        + $"  \"SecretAccessKey\": \"{SecretAccessKey}\",\n"
        + $"  \"Token\": \"{SessionToken}\",\n"
        + (accountId is null ? string.Empty : $"  \"AccountId\": \"{accountId}\",\n")
        + $"  \"Expiration\": \"{expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\"\n"
        + "}";

    public static HttpResponseMessage Text(HttpStatusCode status, string body = "") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    public static HttpResponseMessage Token(string token = ImdsToken, int? ttlSeconds = null)
    {
        HttpResponseMessage response = Text(HttpStatusCode.OK, token);
        if (ttlSeconds is { } ttl)
        {
            response.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ttl.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>Asserts none of the secrets (secret key, session token, IMDS token) appears in <paramref name="text"/>.</summary>
    public static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ImdsToken, text, StringComparison.Ordinal);
    }
}
