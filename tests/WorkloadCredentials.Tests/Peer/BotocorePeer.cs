using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Peer;

/// <summary>What one peer resolved: credentials, or a failure named by its type.</summary>
internal sealed record PeerResult(PeerCredentials? Credentials, string Detail, TimeSpan Elapsed)
{
    public bool Fails => Credentials is null;

    public override string ToString() =>
        (Credentials is null ? "fails: " + Detail : $"{Credentials} via {Detail}") + $" ({Elapsed.TotalMilliseconds:F0} ms)";
}

/// <summary>
/// Runs botocore (installed with the AWS CLI) in one Python process over every environment: <c>peer_botocore.py</c> forks one
/// child per environment whose <c>os.environ</c> is exactly that environment, and refuses every non-loopback connection.
/// A missing Python or botocore fails the suite with the way to install it; it never skips.
/// </summary>
internal static class BotocorePeer
{
    private const string Install = "Install botocore for the peer-comparison suite: `pip install botocore` (or `apt-get install awscli`), with `python3` on PATH.";

    public static string ScriptPath => Path.Combine(RepositoryRoot.Require(), "tests", "WorkloadCredentials.Tests", "Peer", "peer_botocore.py");

    public static async Task<(string Version, IReadOnlyDictionary<string, PeerResult> Results)> ResolveAsync(
        IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Variables, string? Profile)> environments,
        int parallelism,
        CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["parallelism"] = parallelism,
            ["environments"] = new JsonArray([.. environments.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name,
                ["variables"] = new JsonObject([.. e.Variables.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))]),
                ["profile"] = e.Profile,
            })]),
        };
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { ScriptPath },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start. " + Install);
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException("python3 could not be started (" + error.Message + "). " + Install, error);
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(request.ToJsonString());
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            string text = await output;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"peer_botocore.py exited with {process.ExitCode}: {await errors} {Install}");
            }

            JsonNode document = JsonNode.Parse(text) ?? throw new InvalidOperationException("peer_botocore.py printed nothing.");
            var results = new Dictionary<string, PeerResult>(StringComparer.Ordinal);
            foreach ((string name, JsonNode? node) in document["results"]!.AsObject())
            {
                results[name] = Parse(node!);
            }

            return (document["botocore"]!.GetValue<string>(), results);
        }
    }

    private static PeerResult Parse(JsonNode node)
    {
        var elapsed = TimeSpan.FromSeconds(node["seconds"]!.GetValue<double>());
        if (node["error"] is { } error)
        {
            return new PeerResult(null, error.GetValue<string>() + ": " + node["message"]?.GetValue<string>(), elapsed);
        }

        return new PeerResult(
            new PeerCredentials(node["access_key"]!.GetValue<string>(), node["secret_key"]!.GetValue<string>(), node["token"]?.GetValue<string>()),
            node["method"]?.GetValue<string>() ?? "?",
            elapsed);
    }
}
