// Command pulumi-resource-scorertest is the resource provider the real-CLI contract tests deploy with.
//
// The Pulumi YAML host has no built-in resource that can be updated, replaced or fail, so this plugin
// serves one: scorertest:index:Function, a stand-in for the AWS Lambda function infra/aws deploys.
//   - codeSha256 changes → an in-place update (version goes up), like a new zip
//   - architecture changes → a replacement (create the new one, then delete the old one)
//   - failWith non-empty → Create and Update fail with that text, like a rejected Lambda call
//   - environment is kept as given; a secret input stays secret in the outputs
//
// State lives only in Pulumi's checkpoint: the "cloud" is the stack file itself.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	pkgName      = "scorertest"
	pkgVersion   = "0.1.0"
	functionType = "scorertest:index:Function"
)

// schema is what the YAML host resolves types and property names through.
const schema = `{
  "name": "scorertest",
  "version": "0.1.0",
  "resources": {
    "scorertest:index:Function": {
      "description": "A stand-in for an AWS Lambda function.",
      "inputProperties": {
        "name": {"type": "string"},
        "codeSha256": {"type": "string"},
        "architecture": {"type": "string"},
        "environment": {"type": "string"},
        "failWith": {"type": "string"}
      },
      "requiredInputs": ["name", "codeSha256"],
      "properties": {
        "name": {"type": "string"},
        "codeSha256": {"type": "string"},
        "architecture": {"type": "string"},
        "environment": {"type": "string"},
        "failWith": {"type": "string"},
        "arn": {"type": "string"},
        "version": {"type": "string"}
      },
      "required": ["name", "codeSha256", "arn", "version"]
    }
  }
}`

type functionProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func main() {
	err := provider.Main(pkgName, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &functionProvider{}, nil
	})
	if err != nil {
		panic(err)
	}
}

func (p *functionProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pkgVersion}, nil
}

func (p *functionProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: schema}, nil
}

func (p *functionProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *functionProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

// Configure accepts secrets, so secret inputs arrive (and leave) wrapped as secrets; no preview
// support, so the engine never calls Create/Update during a preview.
func (p *functionProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: false}, nil
}

func (p *functionProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if err := checkType(req.GetUrn(), req.GetType()); err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	for _, key := range []string{"name", "codeSha256"} {
		if text(req.GetNews(), key) == "" {
			failures = append(failures, &pulumirpc.CheckFailure{Property: key, Reason: key + " must be a non-empty string"})
		}
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// Diff compares the new inputs with the old state: architecture forces a replacement, the other
// inputs update in place.
func (p *functionProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	var diffs, replaces []string
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for _, key := range []string{"name", "codeSha256", "architecture", "environment", "failWith"} {
		if proto.Equal(field(req.GetOlds(), key), field(req.GetNews(), key)) {
			continue
		}
		diffs = append(diffs, key)
		kind := pulumirpc.PropertyDiff_UPDATE
		if key == "architecture" || key == "name" {
			replaces = append(replaces, key)
			kind = pulumirpc.PropertyDiff_UPDATE_REPLACE
		}
		detailed[key] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	changes := pulumirpc.DiffResponse_DIFF_NONE
	if len(diffs) > 0 {
		changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return &pulumirpc.DiffResponse{
		Changes: changes, Diffs: diffs, Replaces: replaces, DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

func (p *functionProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if err := checkType(req.GetUrn(), req.GetType()); err != nil {
		return nil, err
	}
	if reason := text(req.GetProperties(), "failWith"); reason != "" {
		return nil, status.Error(codes.Unknown, "creating function "+text(req.GetProperties(), "name")+": "+reason)
	}
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return nil, err
	}
	id := text(req.GetProperties(), "name") + "-" + hex.EncodeToString(suffix)
	return &pulumirpc.CreateResponse{Id: id, Properties: outputs(req.GetProperties(), id, 1)}, nil
}

func (p *functionProvider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if reason := text(req.GetNews(), "failWith"); reason != "" {
		return nil, status.Error(codes.Unknown, "updating function "+text(req.GetNews(), "name")+": "+reason)
	}
	version, err := strconv.Atoi(text(req.GetOlds(), "version"))
	if err != nil {
		version = 0
	}
	return &pulumirpc.UpdateResponse{Properties: outputs(req.GetNews(), req.GetId(), version+1)}, nil
}

func (p *functionProvider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func checkType(urn, typ string) error {
	if typ != "" && typ != functionType {
		return status.Errorf(codes.InvalidArgument, "unknown resource type %q in %s: only %s exists", typ, urn, functionType)
	}
	return nil
}

// outputs are the inputs as given (secrets stay wrapped) plus what the "cloud" assigned.
func outputs(inputs *structpb.Struct, id string, version int) *structpb.Struct {
	out := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	for k, v := range inputs.GetFields() {
		out.Fields[k] = v
	}
	out.Fields["arn"] = structpb.NewStringValue(fmt.Sprintf("arn:aws:lambda:us-west-2:000000000000:function:%s", id))
	out.Fields["version"] = structpb.NewStringValue(strconv.Itoa(version))
	return out
}

func field(s *structpb.Struct, key string) *structpb.Value {
	if v, ok := s.GetFields()[key]; ok {
		return v
	}
	return structpb.NewNullValue()
}

// text reads a string input; a secret-wrapped string ({sig, value}) gives its value.
func text(s *structpb.Struct, key string) string {
	v := s.GetFields()[key]
	if v == nil {
		return ""
	}
	if inner := v.GetStructValue(); inner != nil {
		return inner.GetFields()["value"].GetStringValue()
	}
	return v.GetStringValue()
}
