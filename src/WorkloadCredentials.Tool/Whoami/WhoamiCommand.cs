using System.CommandLine;
using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.Runtime.Internal.Transform;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Whoami;

/// <summary>
/// <c>whoami [--json]</c>: sts:GetCallerIdentity signed with the resolved credentials (AWSSDK.SecurityToken), printing Account, Arn and
/// UserId. The endpoint and region come from the same settings the library reads, so it runs against a local emulator too.
/// Its HTTP client is the library's STS one: no redirect is ever followed and the answer is capped at 64 KiB; an answer that is not a
/// GetCallerIdentity answer is an STS error (exit 3), and nothing an answer echoes of the credentials is printed.
/// </summary>
internal static class WhoamiCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(ToolApplication app)
    {
        var json = new Option<bool>("--json") { Description = "Write {\"Account\", \"Arn\", \"UserId\"} as JSON." };
        var command = new Command("whoami", "Call sts:GetCallerIdentity with the resolved credentials and show the account, ARN and user id.")
        {
            json,
        };
        command.SetAction((parseResult, cancellationToken) =>
            app.RunAsync(parseResult, (settings, runtime, ct) => RunAsync(settings, runtime, parseResult.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ToolSettings settings, ToolRuntime runtime, bool json, CancellationToken cancellationToken)
    {
        using ILoggerFactory loggers = runtime.CreateLoggerFactory(settings);
        ResolutionOutcome outcome = await CredentialResolver.ResolveAsync(settings, runtime, loggers, cancellationToken).ConfigureAwait(false);
        if (outcome.Credentials is not { } credentials)
        {
            runtime.WriteError(outcome.ErrorMessage ?? "no AWS credentials were resolved.");
            return outcome.ExitCode;
        }

        StsTarget target;
        try
        {
            target = await StsTargetResolver.ResolveAsync(settings, runtime.Environment, cancellationToken).ConfigureAwait(false);
        }
        catch (StsTargetException ex)
        {
            runtime.WriteError("whoami: " + ex.Message);
            return ExitCodes.StsCallFailed;
        }
        catch (AwsCredentialException ex)
        {
            runtime.WriteError("whoami: " + ex.Message);
            return ExitCodes.SourceFailed;
        }

        string?[] secrets = [credentials.SecretAccessKey, credentials.SessionToken];
        GetCallerIdentityResponse identity;
        try
        {
            identity = await CallAsync(credentials, target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DescribeBadAnswer(ex) is { } problem)
        {
            runtime.WriteError($"whoami: sts:GetCallerIdentity at {target.DescribeEndpoint()} {problem}");
            return ExitCodes.StsCallFailed;
        }
        catch (AmazonServiceException ex) when (!string.IsNullOrEmpty(ex.ErrorCode))
        {
            runtime.WriteError(
                $"whoami: sts:GetCallerIdentity at {target.DescribeEndpoint()} was refused with {Clean(ex.ErrorCode, secrets)} (HTTP {(int)ex.StatusCode}): {Clean(ex.Message, secrets)} " +
                $"The credentials came from source {credentials.SourceName} (access key {credentials.RedactedAccessKeyId}).");
            return ExitCodes.StsCallFailed;
        }
        catch (Exception ex) when (IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            runtime.WriteError(
                $"whoami: could not reach STS at {target.DescribeEndpoint()}: {ex.GetType().Name}: {Clean(Innermost(ex).Message, secrets)} " +
                "Check the endpoint and region settings and the network.");
            return ExitCodes.StsCallFailed;
        }

        if (string.IsNullOrEmpty(identity.Account) || string.IsNullOrEmpty(identity.Arn) || string.IsNullOrEmpty(identity.UserId))
        {
            runtime.WriteError($"whoami: sts:GetCallerIdentity at {target.DescribeEndpoint()} {NotAnStsAnswer("it holds no caller identity (Account, Arn and UserId)")}");
            return ExitCodes.StsCallFailed;
        }

        if (json)
        {
            WriteJson(runtime.Output, identity);
        }
        else
        {
            runtime.Output.WriteLine($"Account: {identity.Account}");
            runtime.Output.WriteLine($"Arn:     {identity.Arn}");
            runtime.Output.WriteLine($"UserId:  {identity.UserId}");
        }

        return ExitCodes.Resolved;
    }

    private static async Task<GetCallerIdentityResponse> CallAsync(AwsCredentials credentials, StsTarget target, CancellationToken cancellationToken)
    {
        AWSCredentials sdkCredentials = credentials.SessionToken is { } token
            ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
            : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey);

        // The endpoint was resolved above with the library's precedence; the SDK must not look for another one.
        // The library's STS HTTP clients: redirects are never followed (the request carries the credentials), answers are capped.
        using var httpClients = new StsHttpClientFactory(null);
        var config = new AmazonSecurityTokenServiceConfig
        {
            IgnoreConfiguredEndpointUrls = true,
            MaxErrorRetry = 2,
            Timeout = CallTimeout,
            AllowAutoRedirect = false,
            HttpClientFactory = httpClients,
        };
        if (target.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = target.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(target.Region);
        }

        using var client = new AmazonSecurityTokenServiceClient(sdkCredentials, config);
        return await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
    }

    private static void WriteJson(TextWriter output, GetCallerIdentityResponse identity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("Account", identity.Account);
            writer.WriteString("Arn", identity.Arn);
            writer.WriteString("UserId", identity.UserId);
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Describes an answer that is a redirect or not an STS answer at all, or returns <see langword="null"/>.</summary>
    private static string? DescribeBadAnswer(Exception ex)
    {
        if (StsErrorClassifier.Find<StsRedirectException>(ex) is { } redirect)
        {
            return $"answered HTTP {redirect.StatusCode} with a redirect to host {redirect.TargetHost}; redirects are never followed, because the request carries the credentials. " +
                "Set AWS_ENDPOINT_URL_STS (or the profile's endpoint_url) to the real STS endpoint.";
        }

        string? detail = StsErrorClassifier.MalformedDetail(ex)
            ?? (StsErrorClassifier.Find<AmazonUnmarshallingException>(ex) is not null ? "it cannot be read as a GetCallerIdentity answer" : null);
        return detail is null ? null : NotAnStsAnswer(detail);
    }

    private static string NotAnStsAnswer(string detail) =>
        $"answered with something that is not an STS response: {detail}. Check that the endpoint is an STS endpoint and that no proxy rewrites its answers.";

    /// <summary>One line, with the credentials (and any 12-character fragment of them) masked and control characters escaped.</summary>
    private static string Clean(string message, string?[] secrets) => StsCallFailureException.Clean(OneLine(message), secrets);

    private static bool IsTransport(Exception ex) =>
        ex is AmazonClientException or HttpRequestException or SocketException or IOException or TaskCanceledException or TimeoutException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
