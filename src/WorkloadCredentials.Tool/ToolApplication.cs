using System.CommandLine;
using System.CommandLine.Parsing;
using WorkloadCredentials.Tool.Describe;
using WorkloadCredentials.Tool.Export;
using WorkloadCredentials.Tool.Internal;
using WorkloadCredentials.Tool.Whoami;

namespace WorkloadCredentials.Tool;

/// <summary>
/// The command line: <c>describe</c>, <c>export</c> and <c>whoami</c> with the global <c>--profile</c>, <c>--region</c> and
/// <c>--verbose</c>. Every error the user can fix ends as a one-paragraph reason on stderr and a documented exit code
/// (<see cref="ExitCodes"/>), never a stack trace.
/// </summary>
internal sealed class ToolApplication
{
    public const string CommandName = "workload-credentials";

    private const string UsageHint = "Run 'workload-credentials --help' for usage.";

    private readonly ToolRuntime _runtime;

    private readonly Option<string?> _profile = new("--profile")
    {
        Description = "The shared config profile to use (as AWS_PROFILE). A profile named here must exist.",
        Recursive = true,
    };

    private readonly Option<string?> _region = new("--region")
    {
        Description = "The region for STS calls (as AWS_REGION).",
        Recursive = true,
    };

    private readonly Option<bool> _verbose = new("--verbose")
    {
        Description = "Write the library's debug logs to stderr (they never contain a secret).",
        Recursive = true,
    };

    private ToolApplication(ToolRuntime runtime)
    {
        _runtime = runtime;
    }

    /// <summary>Runs the tool. The entry point and the in-process tests call this.</summary>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        var app = new ToolApplication(new ToolRuntime(output, error, timeProvider));
        RootCommand root = app.CreateRootCommand();
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not { ClearsParseErrors: true })
        {
            foreach (ParseError parseError in parseResult.Errors)
            {
                app._runtime.WriteError(parseError.Message);
            }

            error.WriteLine(UsageHint);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a command's body with the global settings, mapping the errors a user can fix to exit codes.</summary>
    public async Task<int> RunAsync(
        ParseResult parseResult,
        Func<ToolSettings, ToolRuntime, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        var settings = new ToolSettings(parseResult.GetValue(_profile), parseResult.GetValue(_region), parseResult.GetValue(_verbose));
        try
        {
            return await body(settings, _runtime, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolUsageException ex)
        {
            _runtime.WriteError(ex.Message + " " + UsageHint);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _runtime.WriteError("interrupted.");
            return ExitCodes.Canceled;
        }
#pragma warning disable CA1031 // The last line of defence: a short reason instead of a stack trace; --verbose shows the details.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _runtime.WriteError($"internal error: {ex.GetType().Name}: {ex.Message} (run with --verbose for details)");
            if (settings.Verbose)
            {
                _runtime.Error.WriteLine(_runtime.Guard.Clean(ex.ToString()));
            }

            return ExitCodes.InternalError;
        }
    }

    private RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "Shows, exports and checks the AWS credentials the WorkloadCredentials chain resolves (explicit keys, environment, shared profile, " +
            "web identity, container, instance metadata), reading the same environment variables and files as the library.")
        {
            _profile,
            _region,
            _verbose,
            DescribeCommand.Create(this),
            ExportCommand.Create(this),
            WhoamiCommand.Create(this),
        };
        return root;
    }
}
