// @ts-nocheck
// This is a generated file: scripts/generate-input-validator.js (Ajv 8.20.0 standalone code) writes it
// from org-ecs-servicerestart.json when `make generate` runs. Do not edit it; change the schema and regenerate.
"use strict";
export const validate = validate10;
export default validate10;
const schema11 = {"typeName":"Org::ECS::ServiceRestart","description":"Restarts Amazon ECS services (a forced new deployment) when the resource is created or updated, waits until the new tasks are healthy, and fails with the ECS reason when they are not. Any change to a property, Triggers included, restarts the services again.","definitions":{"ServiceNameOrArn":{"description":"An ECS service name (1-255 letters, digits, hyphens, underscores) or a service ARN of any partition, in the short (service/NAME) or long (service/CLUSTER/NAME) format.","type":"string","minLength":1,"maxLength":1600,"pattern":"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$"},"SecretOrParameterArn":{"description":"A Secrets Manager secret ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX, or without the -XXXXXX suffix) or an SSM parameter ARN (arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME or parameter/PATH/TO/NAME).","type":"string","minLength":1,"maxLength":2048,"pattern":"^(?:arn:[a-z][a-z0-9-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,519}|arn:[a-z][a-z0-9-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)$"}},"properties":{"Cluster":{"description":"The short name or full ARN of the cluster that runs the services.","type":"string","minLength":1,"maxLength":1600,"pattern":"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$"},"Services":{"description":"The services to restart (1-100), by name or ARN, all in Cluster. They are restarted in this order, in waves of MaxConcurrentRestarts, before the services found by ServicesUsingSecrets. At least one of Services and ServicesUsingSecrets is required; at most 1000 services are restarted in all.","type":"array","minItems":1,"maxItems":100,"uniqueItems":true,"insertionOrder":true,"items":{"$ref":"#/definitions/ServiceNameOrArn"}},"ServicesUsingSecrets":{"description":"Secrets Manager secret ARNs (complete, or without the random suffix) or SSM parameter ARNs (1-20), of any account and Region of the handler's partition: ECS reads a secret of another account and a parameter of another Region by its full ARN. At every create and update, every ACTIVE service of Cluster whose current task definition (that of its PRIMARY deployment) reads one of them, through secrets, logConfiguration.secretOptions or repositoryCredentials, is restarted too, after the services of Services. A task definition's bare parameter name or path means a parameter of the task's own account and Region; it matches only an ARN of this account and Region. A reference pinned to a version id or to a stage other than AWSCURRENT is left out. At most 1000 services in all, with those of Services.","type":"array","minItems":1,"maxItems":20,"uniqueItems":true,"insertionOrder":true,"items":{"$ref":"#/definitions/SecretOrParameterArn"}},"Triggers":{"description":"Opaque key-value pairs (at most 10; key up to 64 characters, value up to 256). Changing any of them restarts the services again, e.g. the version id of a rotated secret.","type":"object","maxProperties":10,"patternProperties":{"^[A-Za-z0-9_.:/=+@-]{1,64}$":{"type":"string","maxLength":256}},"additionalProperties":false},"WaitForSteadyState":{"description":"Whether to wait until the new deployments are healthy (true, the default) or to succeed as soon as ECS accepted the restart (false).","type":"boolean","default":true},"OnStackRollback":{"description":"What an update made by a stack rollback does (the stack is returning to the previous properties after another change failed). Skip (the default): restart nothing, record the previous properties and succeed. Restart: restart the services again and wait, but report any failure in the message and still succeed. Either way a rollback never fails because of this resource.","type":"string","enum":["Skip","Restart"],"default":"Skip"},"TimeoutInMinutes":{"description":"How long to wait for the new deployments to become healthy before failing, in minutes (1-2100, default 60). Blue/green, linear and canary deployments need more than their configured bake times; a shorter value is refused before any restart.","type":"integer","minimum":1,"maximum":2100,"default":60},"MaxConcurrentRestarts":{"description":"Restart the services in waves of this many (1-1000); a wave starts when the previous one is healthy. Default: all services at once.","type":"integer","minimum":1,"maximum":1000},"Id":{"description":"The identifier of this restart resource, generated on create.","type":"string","pattern":"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},"RestartedAt":{"description":"ISO-8601 time at which the last restart was started.","type":"string"},"ServiceArns":{"description":"The ARNs of the services the last restart restarted: those of Services in their order, then those found by ServicesUsingSecrets, by name.","type":"array","insertionOrder":true,"items":{"type":"string"}},"DeploymentIds":{"description":"The ECS deployment id that the last restart started (or followed, when a newer deployment superseded it) for each service, in the order of ServiceArns.","type":"array","insertionOrder":true,"items":{"type":"string"}}},"additionalProperties":false,"required":["Cluster"],"anyOf":[{"required":["Services"]},{"required":["ServicesUsingSecrets"]}],"readOnlyProperties":["/properties/Id","/properties/RestartedAt","/properties/ServiceArns","/properties/DeploymentIds"],"primaryIdentifier":["/properties/Id"],"tagging":{"taggable":false},"handlers":{"create":{"permissions":["ecs:DescribeServices","ecs:ListServices","ecs:DescribeTaskDefinition","ecs:UpdateService","ecs:ListServiceDeployments","ecs:DescribeServiceDeployments","ecs:ListTasks","ecs:DescribeTasks","ssm:GetParameter","ssm:GetParameters","ssm:PutParameter","ssm:DeleteParameter","ssm:DeleteParameters","ssm:GetParametersByPath"],"timeoutInMinutes":2160},"read":{"permissions":["ssm:GetParameter","ssm:GetParameters"]},"update":{"permissions":["ecs:DescribeServices","ecs:ListServices","ecs:DescribeTaskDefinition","ecs:UpdateService","ecs:ListServiceDeployments","ecs:DescribeServiceDeployments","ecs:ListTasks","ecs:DescribeTasks","ssm:GetParameter","ssm:GetParameters","ssm:PutParameter","ssm:DeleteParameters"],"timeoutInMinutes":2160},"delete":{"permissions":["ssm:GetParameter","ssm:DeleteParameter","ssm:DeleteParameters","ssm:GetParametersByPath"]},"list":{"permissions":["ssm:GetParametersByPath","ssm:GetParameters"]}},"type":"object"};
const schema12 = {"description":"An ECS service name (1-255 letters, digits, hyphens, underscores) or a service ARN of any partition, in the short (service/NAME) or long (service/CLUSTER/NAME) format.","type":"string","minLength":1,"maxLength":1600,"pattern":"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$"};
const schema13 = {"description":"A Secrets Manager secret ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX, or without the -XXXXXX suffix) or an SSM parameter ARN (arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME or parameter/PATH/TO/NAME).","type":"string","minLength":1,"maxLength":2048,"pattern":"^(?:arn:[a-z][a-z0-9-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,519}|arn:[a-z][a-z0-9-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)$"};
const func0 = Object.prototype.hasOwnProperty;
const func50 = require("ajv/dist/runtime/ucs2length").default;
const func32 = require("util").isDeepStrictEqual;
const pattern0 = new RegExp("^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$", "u");
const pattern1 = new RegExp("^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$", "u");
const pattern2 = new RegExp("^(?:arn:[a-z][a-z0-9-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,519}|arn:[a-z][a-z0-9-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)$", "u");
const pattern3 = new RegExp("^[A-Za-z0-9_.:/=+@-]{1,64}$", "u");
const pattern5 = new RegExp("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
const _errs1 = errors;
let valid0 = false;
const _errs2 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if((data.Services === undefined) || (!(func0.call(data, "Services")))){
const err0 = {instancePath,schemaPath:"#/anyOf/0/required",keyword:"required",params:{missingProperty: "Services"},schema:schema11.anyOf[0].required,parentSchema:schema11.anyOf[0],data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
var _valid0 = _errs2 === errors;
valid0 = valid0 || _valid0;
if(!valid0){
const _errs3 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if((data.ServicesUsingSecrets === undefined) || (!(func0.call(data, "ServicesUsingSecrets")))){
const err1 = {instancePath,schemaPath:"#/anyOf/1/required",keyword:"required",params:{missingProperty: "ServicesUsingSecrets"},schema:schema11.anyOf[1].required,parentSchema:schema11.anyOf[1],data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
var _valid0 = _errs3 === errors;
valid0 = valid0 || _valid0;
}
if(!valid0){
const err2 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},schema:schema11.anyOf,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
else {
errors = _errs1;
if(vErrors !== null){
if(_errs1){
vErrors.length = _errs1;
}
else {
vErrors = null;
}
}
}
if(data && typeof data == "object" && !Array.isArray(data)){
if((data.Cluster === undefined) || (!(func0.call(data, "Cluster")))){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "Cluster"},schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 of Object.keys(data)){
if(!(func0.call(schema11.properties, key0))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.Cluster !== undefined && func0.call(data, "Cluster")){
let data0 = data.Cluster;
if(typeof data0 !== "string"){
let dataType0 = typeof data0;
let coerced0 = undefined;
if(!(coerced0 !== undefined)){
if(dataType0 == "number" || dataType0 == "boolean"){
coerced0 = "" + data0;
}
else if(data0 === null){
coerced0 = "";
}
else {
const err5 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/type",keyword:"type",params:{type: "string"},schema:schema11.properties.Cluster.type,parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(coerced0 !== undefined){
data0 = coerced0;
if(data !== undefined){
data["Cluster"] = coerced0;
}
}
}
if(typeof data0 === "string"){
if(func50(data0) > 1600){
const err6 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/maxLength",keyword:"maxLength",params:{limit: 1600},schema:1600,parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(func50(data0) < 1){
const err7 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/minLength",keyword:"minLength",params:{limit: 1},schema:1,parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(!pattern0.test(data0)){
const err8 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/pattern",keyword:"pattern",params:{pattern: "^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$"},schema:"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$",parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
if(data.Services !== undefined && func0.call(data, "Services")){
let data1 = data.Services;
if(Array.isArray(data1)){
if(data1.length > 100){
const err9 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/maxItems",keyword:"maxItems",params:{limit: 100},schema:100,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data1.length < 1){
const err10 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/minItems",keyword:"minItems",params:{limit: 1},schema:1,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
if(typeof data2 !== "string"){
let dataType1 = typeof data2;
let coerced1 = undefined;
if(!(coerced1 !== undefined)){
if(dataType1 == "number" || dataType1 == "boolean"){
coerced1 = "" + data2;
}
else if(data2 === null){
coerced1 = "";
}
else {
const err11 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/type",keyword:"type",params:{type: "string"},schema:schema12.type,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(coerced1 !== undefined){
data2 = coerced1;
if(data1 !== undefined){
data1[i0] = coerced1;
}
}
}
if(typeof data2 === "string"){
if(func50(data2) > 1600){
const err12 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/maxLength",keyword:"maxLength",params:{limit: 1600},schema:1600,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(func50(data2) < 1){
const err13 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/minLength",keyword:"minLength",params:{limit: 1},schema:1,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(!pattern1.test(data2)){
const err14 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/pattern",keyword:"pattern",params:{pattern: "^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$"},schema:"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$",parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
let i1 = data1.length;
let j0;
if(i1 > 1){
outer0:
for(;i1--;){
for(j0 = i1; j0--;){
if(func32(data1[i1], data1[j0])){
const err15 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},schema:true,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
break outer0;
}
}
}
}
}
else {
const err16 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/type",keyword:"type",params:{type: "array"},schema:schema11.properties.Services.type,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.ServicesUsingSecrets !== undefined && func0.call(data, "ServicesUsingSecrets")){
let data3 = data.ServicesUsingSecrets;
if(Array.isArray(data3)){
if(data3.length > 20){
const err17 = {instancePath:instancePath+"/ServicesUsingSecrets",schemaPath:"#/properties/ServicesUsingSecrets/maxItems",keyword:"maxItems",params:{limit: 20},schema:20,parentSchema:schema11.properties.ServicesUsingSecrets,data:data3};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(data3.length < 1){
const err18 = {instancePath:instancePath+"/ServicesUsingSecrets",schemaPath:"#/properties/ServicesUsingSecrets/minItems",keyword:"minItems",params:{limit: 1},schema:1,parentSchema:schema11.properties.ServicesUsingSecrets,data:data3};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
const len1 = data3.length;
for(let i2=0; i2<len1; i2++){
let data4 = data3[i2];
if(typeof data4 !== "string"){
let dataType2 = typeof data4;
let coerced2 = undefined;
if(!(coerced2 !== undefined)){
if(dataType2 == "number" || dataType2 == "boolean"){
coerced2 = "" + data4;
}
else if(data4 === null){
coerced2 = "";
}
else {
const err19 = {instancePath:instancePath+"/ServicesUsingSecrets/" + i2,schemaPath:"#/definitions/SecretOrParameterArn/type",keyword:"type",params:{type: "string"},schema:schema13.type,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(coerced2 !== undefined){
data4 = coerced2;
if(data3 !== undefined){
data3[i2] = coerced2;
}
}
}
if(typeof data4 === "string"){
if(func50(data4) > 2048){
const err20 = {instancePath:instancePath+"/ServicesUsingSecrets/" + i2,schemaPath:"#/definitions/SecretOrParameterArn/maxLength",keyword:"maxLength",params:{limit: 2048},schema:2048,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(func50(data4) < 1){
const err21 = {instancePath:instancePath+"/ServicesUsingSecrets/" + i2,schemaPath:"#/definitions/SecretOrParameterArn/minLength",keyword:"minLength",params:{limit: 1},schema:1,parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if(!pattern2.test(data4)){
const err22 = {instancePath:instancePath+"/ServicesUsingSecrets/" + i2,schemaPath:"#/definitions/SecretOrParameterArn/pattern",keyword:"pattern",params:{pattern: "^(?:arn:[a-z][a-z0-9-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,519}|arn:[a-z][a-z0-9-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)$"},schema:"^(?:arn:[a-z][a-z0-9-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,519}|arn:[a-z][a-z0-9-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*)$",parentSchema:schema13,data:data4};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
let i3 = data3.length;
let j1;
if(i3 > 1){
outer1:
for(;i3--;){
for(j1 = i3; j1--;){
if(func32(data3[i3], data3[j1])){
const err23 = {instancePath:instancePath+"/ServicesUsingSecrets",schemaPath:"#/properties/ServicesUsingSecrets/uniqueItems",keyword:"uniqueItems",params:{i: i3, j: j1},schema:true,parentSchema:schema11.properties.ServicesUsingSecrets,data:data3};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
break outer1;
}
}
}
}
}
else {
const err24 = {instancePath:instancePath+"/ServicesUsingSecrets",schemaPath:"#/properties/ServicesUsingSecrets/type",keyword:"type",params:{type: "array"},schema:schema11.properties.ServicesUsingSecrets.type,parentSchema:schema11.properties.ServicesUsingSecrets,data:data3};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.Triggers !== undefined && func0.call(data, "Triggers")){
let data5 = data.Triggers;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(Object.keys(data5).length > 10){
const err25 = {instancePath:instancePath+"/Triggers",schemaPath:"#/properties/Triggers/maxProperties",keyword:"maxProperties",params:{limit: 10},schema:10,parentSchema:schema11.properties.Triggers,data:data5};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
for(const key1 of Object.keys(data5)){
if(!(pattern3.test(key1))){
const err26 = {instancePath:instancePath+"/Triggers",schemaPath:"#/properties/Triggers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},schema:false,parentSchema:schema11.properties.Triggers,data:data5};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
for(const key2 of Object.keys(data5)){
if(pattern3.test(key2)){
let data6 = data5[key2];
if(typeof data6 !== "string"){
let dataType3 = typeof data6;
let coerced3 = undefined;
if(!(coerced3 !== undefined)){
if(dataType3 == "number" || dataType3 == "boolean"){
coerced3 = "" + data6;
}
else if(data6 === null){
coerced3 = "";
}
else {
const err27 = {instancePath:instancePath+"/Triggers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/Triggers/patternProperties/%5E%5BA-Za-z0-9_.%3A~1%3D%2B%40-%5D%7B1%2C64%7D%24/type",keyword:"type",params:{type: "string"},schema:schema11.properties.Triggers.patternProperties["^[A-Za-z0-9_.:/=+@-]{1,64}$"].type,parentSchema:schema11.properties.Triggers.patternProperties["^[A-Za-z0-9_.:/=+@-]{1,64}$"],data:data6};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(coerced3 !== undefined){
data6 = coerced3;
if(data5 !== undefined){
data5[key2] = coerced3;
}
}
}
if(typeof data6 === "string"){
if(func50(data6) > 256){
const err28 = {instancePath:instancePath+"/Triggers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/Triggers/patternProperties/%5E%5BA-Za-z0-9_.%3A~1%3D%2B%40-%5D%7B1%2C64%7D%24/maxLength",keyword:"maxLength",params:{limit: 256},schema:256,parentSchema:schema11.properties.Triggers.patternProperties["^[A-Za-z0-9_.:/=+@-]{1,64}$"],data:data6};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
}
}
else {
const err29 = {instancePath:instancePath+"/Triggers",schemaPath:"#/properties/Triggers/type",keyword:"type",params:{type: "object"},schema:schema11.properties.Triggers.type,parentSchema:schema11.properties.Triggers,data:data5};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data.WaitForSteadyState !== undefined && func0.call(data, "WaitForSteadyState")){
let data7 = data.WaitForSteadyState;
if(typeof data7 !== "boolean"){
let coerced4 = undefined;
if(!(coerced4 !== undefined)){
if(data7 === "false" || data7 === 0 || data7 === null){
coerced4 = false;
}
else if(data7 === "true" || data7 === 1){
coerced4 = true;
}
else {
const err30 = {instancePath:instancePath+"/WaitForSteadyState",schemaPath:"#/properties/WaitForSteadyState/type",keyword:"type",params:{type: "boolean"},schema:schema11.properties.WaitForSteadyState.type,parentSchema:schema11.properties.WaitForSteadyState,data:data7};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(coerced4 !== undefined){
data7 = coerced4;
if(data !== undefined){
data["WaitForSteadyState"] = coerced4;
}
}
}
}
if(data.OnStackRollback !== undefined && func0.call(data, "OnStackRollback")){
let data8 = data.OnStackRollback;
if(typeof data8 !== "string"){
let dataType5 = typeof data8;
let coerced5 = undefined;
if(!(coerced5 !== undefined)){
if(dataType5 == "number" || dataType5 == "boolean"){
coerced5 = "" + data8;
}
else if(data8 === null){
coerced5 = "";
}
else {
const err31 = {instancePath:instancePath+"/OnStackRollback",schemaPath:"#/properties/OnStackRollback/type",keyword:"type",params:{type: "string"},schema:schema11.properties.OnStackRollback.type,parentSchema:schema11.properties.OnStackRollback,data:data8};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(coerced5 !== undefined){
data8 = coerced5;
if(data !== undefined){
data["OnStackRollback"] = coerced5;
}
}
}
if(!((data8 === "Skip") || (data8 === "Restart"))){
const err32 = {instancePath:instancePath+"/OnStackRollback",schemaPath:"#/properties/OnStackRollback/enum",keyword:"enum",params:{allowedValues: schema11.properties.OnStackRollback.enum},schema:schema11.properties.OnStackRollback.enum,parentSchema:schema11.properties.OnStackRollback,data:data8};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data.TimeoutInMinutes !== undefined && func0.call(data, "TimeoutInMinutes")){
let data9 = data.TimeoutInMinutes;
if(!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))){
let dataType6 = typeof data9;
let coerced6 = undefined;
if(!(coerced6 !== undefined)){
if(dataType6 === "boolean" || data9 === null
              || (dataType6 === "string" && data9 && data9 == +data9 && !(data9 % 1))){
coerced6 = +data9;
}
else {
const err33 = {instancePath:instancePath+"/TimeoutInMinutes",schemaPath:"#/properties/TimeoutInMinutes/type",keyword:"type",params:{type: "integer"},schema:schema11.properties.TimeoutInMinutes.type,parentSchema:schema11.properties.TimeoutInMinutes,data:data9};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(coerced6 !== undefined){
data9 = coerced6;
if(data !== undefined){
data["TimeoutInMinutes"] = coerced6;
}
}
}
if((typeof data9 == "number") && (isFinite(data9))){
if(data9 > 2100 || isNaN(data9)){
const err34 = {instancePath:instancePath+"/TimeoutInMinutes",schemaPath:"#/properties/TimeoutInMinutes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2100},schema:2100,parentSchema:schema11.properties.TimeoutInMinutes,data:data9};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if(data9 < 1 || isNaN(data9)){
const err35 = {instancePath:instancePath+"/TimeoutInMinutes",schemaPath:"#/properties/TimeoutInMinutes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},schema:1,parentSchema:schema11.properties.TimeoutInMinutes,data:data9};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
if(data.MaxConcurrentRestarts !== undefined && func0.call(data, "MaxConcurrentRestarts")){
let data10 = data.MaxConcurrentRestarts;
if(!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))){
let dataType7 = typeof data10;
let coerced7 = undefined;
if(!(coerced7 !== undefined)){
if(dataType7 === "boolean" || data10 === null
              || (dataType7 === "string" && data10 && data10 == +data10 && !(data10 % 1))){
coerced7 = +data10;
}
else {
const err36 = {instancePath:instancePath+"/MaxConcurrentRestarts",schemaPath:"#/properties/MaxConcurrentRestarts/type",keyword:"type",params:{type: "integer"},schema:schema11.properties.MaxConcurrentRestarts.type,parentSchema:schema11.properties.MaxConcurrentRestarts,data:data10};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(coerced7 !== undefined){
data10 = coerced7;
if(data !== undefined){
data["MaxConcurrentRestarts"] = coerced7;
}
}
}
if((typeof data10 == "number") && (isFinite(data10))){
if(data10 > 1000 || isNaN(data10)){
const err37 = {instancePath:instancePath+"/MaxConcurrentRestarts",schemaPath:"#/properties/MaxConcurrentRestarts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},schema:1000,parentSchema:schema11.properties.MaxConcurrentRestarts,data:data10};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data10 < 1 || isNaN(data10)){
const err38 = {instancePath:instancePath+"/MaxConcurrentRestarts",schemaPath:"#/properties/MaxConcurrentRestarts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},schema:1,parentSchema:schema11.properties.MaxConcurrentRestarts,data:data10};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
if(data.Id !== undefined && func0.call(data, "Id")){
let data11 = data.Id;
if(typeof data11 !== "string"){
let dataType8 = typeof data11;
let coerced8 = undefined;
if(!(coerced8 !== undefined)){
if(dataType8 == "number" || dataType8 == "boolean"){
coerced8 = "" + data11;
}
else if(data11 === null){
coerced8 = "";
}
else {
const err39 = {instancePath:instancePath+"/Id",schemaPath:"#/properties/Id/type",keyword:"type",params:{type: "string"},schema:schema11.properties.Id.type,parentSchema:schema11.properties.Id,data:data11};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(coerced8 !== undefined){
data11 = coerced8;
if(data !== undefined){
data["Id"] = coerced8;
}
}
}
if(typeof data11 === "string"){
if(!pattern5.test(data11)){
const err40 = {instancePath:instancePath+"/Id",schemaPath:"#/properties/Id/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},schema:"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",parentSchema:schema11.properties.Id,data:data11};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
}
if(data.RestartedAt !== undefined && func0.call(data, "RestartedAt")){
let data12 = data.RestartedAt;
if(typeof data12 !== "string"){
let dataType9 = typeof data12;
let coerced9 = undefined;
if(!(coerced9 !== undefined)){
if(dataType9 == "number" || dataType9 == "boolean"){
coerced9 = "" + data12;
}
else if(data12 === null){
coerced9 = "";
}
else {
const err41 = {instancePath:instancePath+"/RestartedAt",schemaPath:"#/properties/RestartedAt/type",keyword:"type",params:{type: "string"},schema:schema11.properties.RestartedAt.type,parentSchema:schema11.properties.RestartedAt,data:data12};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(coerced9 !== undefined){
data12 = coerced9;
if(data !== undefined){
data["RestartedAt"] = coerced9;
}
}
}
}
if(data.ServiceArns !== undefined && func0.call(data, "ServiceArns")){
let data13 = data.ServiceArns;
if(Array.isArray(data13)){
const len2 = data13.length;
for(let i4=0; i4<len2; i4++){
let data14 = data13[i4];
if(typeof data14 !== "string"){
let dataType10 = typeof data14;
let coerced10 = undefined;
if(!(coerced10 !== undefined)){
if(dataType10 == "number" || dataType10 == "boolean"){
coerced10 = "" + data14;
}
else if(data14 === null){
coerced10 = "";
}
else {
const err42 = {instancePath:instancePath+"/ServiceArns/" + i4,schemaPath:"#/properties/ServiceArns/items/type",keyword:"type",params:{type: "string"},schema:schema11.properties.ServiceArns.items.type,parentSchema:schema11.properties.ServiceArns.items,data:data14};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(coerced10 !== undefined){
data14 = coerced10;
if(data13 !== undefined){
data13[i4] = coerced10;
}
}
}
}
}
else {
const err43 = {instancePath:instancePath+"/ServiceArns",schemaPath:"#/properties/ServiceArns/type",keyword:"type",params:{type: "array"},schema:schema11.properties.ServiceArns.type,parentSchema:schema11.properties.ServiceArns,data:data13};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data.DeploymentIds !== undefined && func0.call(data, "DeploymentIds")){
let data15 = data.DeploymentIds;
if(Array.isArray(data15)){
const len3 = data15.length;
for(let i5=0; i5<len3; i5++){
let data16 = data15[i5];
if(typeof data16 !== "string"){
let dataType11 = typeof data16;
let coerced11 = undefined;
if(!(coerced11 !== undefined)){
if(dataType11 == "number" || dataType11 == "boolean"){
coerced11 = "" + data16;
}
else if(data16 === null){
coerced11 = "";
}
else {
const err44 = {instancePath:instancePath+"/DeploymentIds/" + i5,schemaPath:"#/properties/DeploymentIds/items/type",keyword:"type",params:{type: "string"},schema:schema11.properties.DeploymentIds.items.type,parentSchema:schema11.properties.DeploymentIds.items,data:data16};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(coerced11 !== undefined){
data16 = coerced11;
if(data15 !== undefined){
data15[i5] = coerced11;
}
}
}
}
}
else {
const err45 = {instancePath:instancePath+"/DeploymentIds",schemaPath:"#/properties/DeploymentIds/type",keyword:"type",params:{type: "array"},schema:schema11.properties.DeploymentIds.type,parentSchema:schema11.properties.DeploymentIds,data:data15};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
}
else {
const err46 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}


/** An error of the validator: Ajv's ErrorObject with verbose fields (schema, parentSchema, data). */
export interface SchemaError {
    keyword: string;
    instancePath: string;
    schemaPath: string;
    params: Record<string, unknown>;
    schema?: unknown;
    parentSchema?: Record<string, unknown>;
    data?: unknown;
}

/** Validates resource properties against the schema; coerces string scalars in place. */
export const validateResourceProperties = validate as ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
