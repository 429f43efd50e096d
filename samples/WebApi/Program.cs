// WebApi: a minimal API whose AWS credentials come from WorkloadCredentials through dependency injection.
//
//   dotnet run --project samples/WebApi            then: curl http://127.0.0.1:5080/credentials  and  /healthz
//
// Configuration: the "AWS" section of appsettings.json (role ARN, External ID, ...); whatever it leaves unset comes from the
// environment, as in the AWS SDKs (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE on EKS, the instance profile on EC2, ...).
using WebApi;

WebApplication app = WebApiApp.Build(args);
await app.RunAsync();
