using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Diagnostics;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Whoami;

/// <summary>
/// <c>whoami [--json]</c>: sts:GetCallerIdentity signed with the resolved credentials, printing Account, Arn and UserId, through the
/// library's public <see cref="AwsCredentialSourceIdentityExtensions.GetCallerIdentityAsync"/>: the endpoint and region come from the
/// same settings the library reads (so it runs against a local emulator too), no redirect is ever followed and the answer is capped at
/// 64 KiB. A failed call is exit code 3; its reason never shows the credentials.
/// </summary>
internal static class WhoamiCommand
{
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
        return await CredentialResolver.WithDefaultChainAsync(
            settings,
            runtime,
            loggers,
            async source =>
            {
                ResolutionOutcome outcome = await CredentialResolver.GetAsync(source, runtime, cancellationToken).ConfigureAwait(false);
                if (outcome.Credentials is null)
                {
                    runtime.WriteError(outcome.ErrorMessage ?? "no AWS credentials were resolved.");
                    return outcome.ExitCode;
                }

                return await CallAsync(source, runtime, json, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> CallAsync(IAwsCredentialSource source, ToolRuntime runtime, bool json, CancellationToken cancellationToken)
    {
        CallerIdentity identity;
        try
        {
            // The source caches: these are the credentials just resolved.
            identity = await source.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CallerIdentityException ex)
        {
            runtime.WriteError("whoami: " + CommandLineWording.Apply(ex.Message));
            return ExitCodes.StsCallFailed;
        }
        catch (AwsCredentialException ex)
        {
            // A shared config file could not be read for the STS settings.
            runtime.WriteError("whoami: " + CommandLineWording.Apply(ex.Message));
            return ExitCodes.SourceFailed;
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

    private static void WriteJson(TextWriter output, CallerIdentity identity)
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
}
