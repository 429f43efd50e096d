using System.Text.Json;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Container;

/// <summary>What the container source makes of what it sends and receives: the header it may send, and the errors an answer gives.</summary>
internal sealed partial class ContainerCredentialSource
{
    /// <summary>The longest part of the agent's error code and message a message quotes.</summary>
    private const int MaxErrorDetailLength = 200;

    /// <summary>
    /// Refuses a token that an HTTP header cannot carry (a line break, a control character, anything not ASCII) before anything is
    /// sent: not recoverable, and the message names where the token came from, never the token.
    /// </summary>
    private static void ThrowIfNotHeaderValue(string? value, string setting)
    {
        if (value is null)
        {
            return;
        }

        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new AwsCredentialException(
                $"{Name}: the authorization token from {setting} contains a line break (CR or LF), which is not allowed in an HTTP header. Write the token on a single line. {ContainerConstants.Troubleshooting}",
                Name,
                isRecoverable: false);
        }

        foreach (char c in value)
        {
            if (c is < ' ' or > '~' && c != '\t')
            {
                throw new AwsCredentialException(
                    $"{Name}: the authorization token from {setting} holds a character that is not valid in an HTTP header (only printable ASCII is), so nothing was sent. Write the token the agent issued, unchanged (an editor or a copy may have added a character). {ContainerConstants.Troubleshooting}",
                    Name,
                    isRecoverable: false);
            }
        }
    }

    /// <summary>
    /// The ranges of the plain-parts constructor, checked as the options are: a value out of range is a configuration error reported
    /// when credentials are asked for, never an exception from the constructor (the timeout strategy would reject it there).
    /// </summary>
    private static AwsCredentialException? CheckRanges(TimeSpan timeout, int maxRetryAttempts)
    {
        IReadOnlyList<string> failures = ValidateOptions(new ContainerCredentialOptions { Timeout = timeout, MaxRetryAttempts = maxRetryAttempts });
        return failures.Count == 0 ? null : new AwsCredentialException($"{failures[0]} {ContainerConstants.Troubleshooting}", Name, isRecoverable: false);
    }

    /// <summary>An answer that is not a usable credentials document (malformed, not UTF-8, too large): recoverable, not retried at once.</summary>
    private AwsCredentialException Unusable(string problem) =>
        new(
            $"{Name}: the credentials endpoint {_endpointDisplay} answered with an unusable credentials document: {problem}. Check that {ContainerConstants.FullUriVariable} / {ContainerConstants.RelativeUriVariable} points at the ECS or EKS Pod Identity agent. {ContainerConstants.Troubleshooting}",
            Name,
            isRecoverable: true);

    /// <summary>
    /// The agent's own error code and message (ECS, EKS Pod Identity answer <c>{"code", "message"}</c>): short, one line, the token
    /// and any long fragment of it masked, control and format characters escaped (they could repaint a terminal).
    /// </summary>
    internal static string DescribeErrorBody(string body, string? authorization)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = JsonCredentialsDocument.MaxDepth });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return string.Empty;
            }

            string? code = null;
            string? message = null;
            foreach (JsonProperty property in json.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (property.NameEquals("code") || property.NameEquals("Code"))
                {
                    code = property.Value.GetString();
                }
                else if (property.NameEquals("message") || property.NameEquals("Message"))
                {
                    message = property.Value.GetString();
                }
            }

            string text = string.Join(": ", new[] { code, message }.Where(static s => !string.IsNullOrWhiteSpace(s)));
            return text.Length == 0 ? string.Empty : " (" + SecretMasker.MaskAndEscape(text, MaxErrorDetailLength, authorization) + ")";
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON, or not valid Unicode: a lone surrogate in the text, or escaped in a string ("\udddd", which GetString refuses).
            return string.Empty;
        }
    }

    private async ValueTask<string?> ReadAuthorizationAsync(CancellationToken cancellationToken)
    {
        string? value;
        string setting;
        if (_authorizationTokenFile is { } path)
        {
            setting = $"the file '{SafeText.Escape(path)}' named by {_authorizationTokenFileSetting}";
            try
            {
                value = BoundedFileReader.ReadText(path, ContainerConstants.MaxTokenFileBytes);
            }
            catch (FileReadException ex)
            {
                (string fix, bool recoverable) = ex.Problem switch
                {
                    FileReadProblem.NotFound => ($"On EKS the Pod Identity webhook mounts it (check the pod's volumes and that the agent add-on is installed); elsewhere fix or unset {_authorizationTokenFileSetting}.", true),
                    FileReadProblem.AccessDenied => ("Let the process's user read it (check the pod's securityContext and the file mode).", false),
                    FileReadProblem.Unreadable => ("Check the file.", true),
                    _ => ("Point it at the token the EKS Pod Identity agent mounts.", false),
                };
                throw new AwsCredentialException(
                    $"{Name}: cannot read the authorization token: {setting} {ex.Message}. {fix} {ContainerConstants.Troubleshooting}",
                    Name,
                    recoverable,
                    ex);
            }

            // A trailing newline (echo > file) is a common slip; only the outer white space is dropped.
            value = value.Trim();
            if (value.Length == 0)
            {
                throw new AwsCredentialException(
                    $"{Name}: {setting} is empty. It must hold the authorization token (the EKS Pod Identity agent writes it). {ContainerConstants.Troubleshooting}",
                    Name,
                    isRecoverable: true);
            }
        }
        else
        {
            value = _authorizationToken;
            setting = _authorizationTokenSetting;
        }

        ThrowIfNotHeaderValue(value, setting);
        return value;
    }
}
