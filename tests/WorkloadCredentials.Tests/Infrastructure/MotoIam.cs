using System.Net.Http.Headers;
using System.Xml.Linq;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Bootstraps IAM in moto with Query-protocol form POSTs (the IAM SDK package is not available here). The requests carry a
/// SigV4-shaped Authorization header so that moto routes them to IAM; they must run while
/// <c>INITIAL_NO_AUTH_ACTION_COUNT</c> still grants free actions (or against a moto without auth).
/// </summary>
public sealed class MotoIam(MotoServer moto)
{
    private static readonly XNamespace Ns = "https://iam.amazonaws.com/doc/2010-05-08/";

    public async Task<XDocument> CallAsync(string action, params (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-05-08") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBOOT/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"IAM {action} failed with {(int)response.StatusCode}: {body}");
        }

        return XDocument.Parse(body);
    }

    /// <summary>Creates a user with an inline policy and returns its access key.</summary>
    public async Task<(string AccessKeyId, string SecretAccessKey, string Arn)> CreateUserWithKeyAsync(string userName, string policyJson)
    {
        XDocument user = await CallAsync("CreateUser", ("UserName", userName));
        await CallAsync("PutUserPolicy", ("UserName", userName), ("PolicyName", userName + "-policy"), ("PolicyDocument", policyJson));
        XDocument key = await CallAsync("CreateAccessKey", ("UserName", userName));
        string secretAccessKey = key.Descendants(Ns + "SecretAccessKey").Single().Value;
        SecretScanning.SecretRegistry.Register($"moto IAM user {userName}", SecretScanning.SecretKind.SecretAccessKey, secretAccessKey);
        return (key.Descendants(Ns + "AccessKeyId").Single().Value, secretAccessKey, user.Descendants(Ns + "Arn").Single().Value);
    }

    /// <summary>Creates a role with a trust policy and an inline permissions policy; returns its ARN.</summary>
    public async Task<string> CreateRoleAsync(string roleName, string trustPolicyJson, string? permissionsPolicyJson = null)
    {
        XDocument role = await CallAsync("CreateRole", ("RoleName", roleName), ("AssumeRolePolicyDocument", trustPolicyJson));
        if (permissionsPolicyJson is not null)
        {
            await CallAsync("PutRolePolicy", ("RoleName", roleName), ("PolicyName", roleName + "-policy"), ("PolicyDocument", permissionsPolicyJson));
        }

        return role.Descendants(Ns + "Arn").Single().Value;
    }

    public const string AllowAllPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public const string TrustEveryonePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"]}]}""";
}
