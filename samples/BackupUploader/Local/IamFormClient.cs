using System.Xml.Linq;

namespace BackupUploader.Local;

/// <summary>
/// Calls IAM in the emulator with Query-protocol form POSTs (the AWS SDK's IAM package is not needed). moto routes a request by
/// the service in its SigV4 credential scope, so each POST carries an Authorization header naming "iam"; the emulator's
/// signature checks are still off at this point, so the signature itself is not checked.
/// </summary>
internal sealed class IamFormClient(Uri endpoint) : IDisposable
{
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<XDocument> CallAsync(string action, IEnumerable<(string Name, string Value)> parameters, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-05-08") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential=LOCALBOOTSTRAP/20260101/{LocalAwsEnvironment.Region}/iam/aws4_request, SignedHeaders=host, Signature=0");
        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"IAM {action} failed in the emulator with HTTP {(int)response.StatusCode}: {body}");
        }

        return XDocument.Parse(body);
    }

    public async Task<string> CreateRoleAsync(string roleName, string trustPolicy, CancellationToken cancellationToken)
    {
        XDocument role = await CallAsync("CreateRole", [("RoleName", roleName), ("AssumeRolePolicyDocument", trustPolicy), ("MaxSessionDuration", "3600")], cancellationToken);
        return role.Descendants(Ns + "Arn").Single().Value;
    }

    public Task PutRolePolicyAsync(string roleName, string policyName, string policy, CancellationToken cancellationToken) =>
        CallAsync("PutRolePolicy", [("RoleName", roleName), ("PolicyName", policyName), ("PolicyDocument", policy)], cancellationToken);

    public async Task<string> CreateOpenIdConnectProviderAsync(string url, string audience, CancellationToken cancellationToken)
    {
        XDocument provider = await CallAsync(
            "CreateOpenIDConnectProvider",
            [("Url", url), ("ClientIDList.member.1", audience), ("ThumbprintList.member.1", new string('a', 40))],
            cancellationToken);
        return provider.Descendants(Ns + "OpenIDConnectProviderArn").Single().Value;
    }

    public void Dispose() => _http.Dispose();
}
