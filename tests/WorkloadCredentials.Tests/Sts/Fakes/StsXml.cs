using System.Globalization;
using System.Security;

namespace WorkloadCredentials.Tests.Sts.Fakes;

/// <summary>STS Query-protocol answers, as STS writes them.</summary>
public static class StsXml
{
    public const string AccountId = "123456789012";

    public static string AssumeRoleWithWebIdentity(string accessKeyId, string secret, string token, DateTimeOffset expiration, string assumedRoleArn = "arn:aws:sts::123456789012:assumed-role/app-role/session") => $"""
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>
            <Audience>sts.amazonaws.com</Audience>
            <AssumedRoleUser><Arn>{assumedRoleArn}</Arn><AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId></AssumedRoleUser>
            <Credentials>
              <AccessKeyId>{accessKeyId}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken>
              <Expiration>{expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}</Expiration>
            </Credentials>
            <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.example</Provider>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """;

    public static string AssumeRole(string accessKeyId, string secret, string token, DateTimeOffset expiration, string assumedRoleArn = "arn:aws:sts::123456789012:assumed-role/target-role/session") => $"""
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <AssumedRoleUser><Arn>{assumedRoleArn}</Arn><AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId></AssumedRoleUser>
            <Credentials>
              <AccessKeyId>{accessKeyId}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken>
              <Expiration>{expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}</Expiration>
            </Credentials>
          </AssumeRoleResult>
          <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000002</RequestId></ResponseMetadata>
        </AssumeRoleResponse>
        """;

    public static string Error(string code, string message, string type = "Sender") => $"""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>{type}</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>
          <RequestId>00000000-0000-0000-0000-000000000003</RequestId>
        </ErrorResponse>
        """;
}
