// @ts-nocheck
// This is a generated file: scripts/generate-input-validator.js (Ajv 8.20.0 standalone code) writes it
// from org-ecs-servicerestart.json when `make generate` runs. Do not edit it; change the schema and regenerate.
"use strict";
export const validate = validate10;
export default validate10;
const schema11 = {"typeName":"Org::ECS::ServiceRestart","description":"Restarts Amazon ECS services (a forced new deployment) when the resource is created or updated, waits until the new tasks are healthy, and fails with the ECS reason when they are not. Any change to a property, Triggers included, restarts the services again.","definitions":{"ServiceNameOrArn":{"description":"An ECS service name (1-255 letters, digits, hyphens, underscores) or a service ARN of any partition, in the short (service/NAME) or long (service/CLUSTER/NAME) format.","type":"string","minLength":1,"maxLength":1600,"pattern":"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$"}},"properties":{"Cluster":{"description":"The short name or full ARN of the cluster that runs the services.","type":"string","minLength":1,"maxLength":1600,"pattern":"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$"},"Services":{"description":"The services to restart, by name or ARN, all in Cluster. They are restarted in this order, in waves of MaxConcurrentRestarts.","type":"array","minItems":1,"maxItems":20,"uniqueItems":true,"insertionOrder":true,"items":{"$ref":"#/definitions/ServiceNameOrArn"}},"Triggers":{"description":"Opaque key-value pairs (at most 10; key up to 64 characters, value up to 256). Changing any of them restarts the services again, e.g. the version id of a rotated secret.","type":"object","maxProperties":10,"patternProperties":{"^[A-Za-z0-9_.:/=+@-]{1,64}$":{"type":"string","maxLength":256}},"additionalProperties":false},"WaitForSteadyState":{"description":"Whether to wait until the new deployments are healthy (true, the default) or to succeed as soon as ECS accepted the restart (false).","type":"boolean","default":true},"OnStackRollback":{"description":"What an update made by a stack rollback does (the stack is returning to the previous properties after another change failed). Skip (the default): restart nothing, record the previous properties and succeed. Restart: restart the services again and wait, but report any failure in the message and still succeed. Either way a rollback never fails because of this resource.","type":"string","enum":["Skip","Restart"],"default":"Skip"},"TimeoutInMinutes":{"description":"How long to wait for the new deployments to become healthy before failing, in minutes (1-2100, default 60). Blue/green, linear and canary deployments need more than their configured bake times; a shorter value is refused before any restart.","type":"integer","minimum":1,"maximum":2100,"default":60},"MaxConcurrentRestarts":{"description":"Restart the services in waves of this many (1-20); a wave starts when the previous one is healthy. Default: all services at once.","type":"integer","minimum":1,"maximum":20},"Id":{"description":"The identifier of this restart resource, generated on create.","type":"string","pattern":"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},"RestartedAt":{"description":"ISO-8601 time at which the last restart was started.","type":"string"},"ServiceArns":{"description":"The resolved ARNs of the services, in the order of Services.","type":"array","insertionOrder":true,"items":{"type":"string"}},"DeploymentIds":{"description":"The ECS deployment id that the last restart started (or followed, when a newer deployment superseded it) for each service, in the order of Services.","type":"array","insertionOrder":true,"items":{"type":"string"}}},"additionalProperties":false,"required":["Cluster","Services"],"readOnlyProperties":["/properties/Id","/properties/RestartedAt","/properties/ServiceArns","/properties/DeploymentIds"],"primaryIdentifier":["/properties/Id"],"tagging":{"taggable":false},"handlers":{"create":{"permissions":["ecs:DescribeServices","ecs:UpdateService","ecs:ListServiceDeployments","ecs:DescribeServiceDeployments","ecs:ListTasks","ecs:DescribeTasks","ssm:GetParameter","ssm:PutParameter","ssm:DeleteParameter"],"timeoutInMinutes":2160},"read":{"permissions":["ssm:GetParameter"]},"update":{"permissions":["ecs:DescribeServices","ecs:UpdateService","ecs:ListServiceDeployments","ecs:DescribeServiceDeployments","ecs:ListTasks","ecs:DescribeTasks","ssm:GetParameter","ssm:PutParameter"],"timeoutInMinutes":2160},"delete":{"permissions":["ssm:GetParameter","ssm:DeleteParameter"]},"list":{"permissions":["ssm:GetParametersByPath"]}},"type":"object"};
const schema12 = {"description":"An ECS service name (1-255 letters, digits, hyphens, underscores) or a service ARN of any partition, in the short (service/NAME) or long (service/CLUSTER/NAME) format.","type":"string","minLength":1,"maxLength":1600,"pattern":"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$"};
const func0 = Object.prototype.hasOwnProperty;
const func49 = require("ajv/dist/runtime/ucs2length").default;
const func32 = require("util").isDeepStrictEqual;
const pattern0 = new RegExp("^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$", "u");
const pattern1 = new RegExp("^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$", "u");
const pattern2 = new RegExp("^[A-Za-z0-9_.:/=+@-]{1,64}$", "u");
const pattern4 = new RegExp("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", "u");

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if((data.Cluster === undefined) || (!(func0.call(data, "Cluster")))){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "Cluster"},schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if((data.Services === undefined) || (!(func0.call(data, "Services")))){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "Services"},schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 of Object.keys(data)){
if(!(func0.call(schema11.properties, key0))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
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
const err3 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/type",keyword:"type",params:{type: "string"},schema:schema11.properties.Cluster.type,parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
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
if(func49(data0) > 1600){
const err4 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/maxLength",keyword:"maxLength",params:{limit: 1600},schema:1600,parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(func49(data0) < 1){
const err5 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/minLength",keyword:"minLength",params:{limit: 1},schema:1,parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(!pattern0.test(data0)){
const err6 = {instancePath:instancePath+"/Cluster",schemaPath:"#/properties/Cluster/pattern",keyword:"pattern",params:{pattern: "^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$"},schema:"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$",parentSchema:schema11.properties.Cluster,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
if(data.Services !== undefined && func0.call(data, "Services")){
let data1 = data.Services;
if(Array.isArray(data1)){
if(data1.length > 20){
const err7 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/maxItems",keyword:"maxItems",params:{limit: 20},schema:20,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data1.length < 1){
const err8 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/minItems",keyword:"minItems",params:{limit: 1},schema:1,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
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
const err9 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/type",keyword:"type",params:{type: "string"},schema:schema12.type,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
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
if(func49(data2) > 1600){
const err10 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/maxLength",keyword:"maxLength",params:{limit: 1600},schema:1600,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(func49(data2) < 1){
const err11 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/minLength",keyword:"minLength",params:{limit: 1},schema:1,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(!pattern1.test(data2)){
const err12 = {instancePath:instancePath+"/Services/" + i0,schemaPath:"#/definitions/ServiceNameOrArn/pattern",keyword:"pattern",params:{pattern: "^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$"},schema:"^([A-Za-z0-9_-]{1,255}|arn:[a-z][a-z0-9-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$",parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
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
const err13 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},schema:true,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
break outer0;
}
}
}
}
}
else {
const err14 = {instancePath:instancePath+"/Services",schemaPath:"#/properties/Services/type",keyword:"type",params:{type: "array"},schema:schema11.properties.Services.type,parentSchema:schema11.properties.Services,data:data1};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.Triggers !== undefined && func0.call(data, "Triggers")){
let data3 = data.Triggers;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(Object.keys(data3).length > 10){
const err15 = {instancePath:instancePath+"/Triggers",schemaPath:"#/properties/Triggers/maxProperties",keyword:"maxProperties",params:{limit: 10},schema:10,parentSchema:schema11.properties.Triggers,data:data3};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
for(const key1 of Object.keys(data3)){
if(!(pattern2.test(key1))){
const err16 = {instancePath:instancePath+"/Triggers",schemaPath:"#/properties/Triggers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},schema:false,parentSchema:schema11.properties.Triggers,data:data3};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
for(const key2 of Object.keys(data3)){
if(pattern2.test(key2)){
let data4 = data3[key2];
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
const err17 = {instancePath:instancePath+"/Triggers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/Triggers/patternProperties/%5E%5BA-Za-z0-9_.%3A~1%3D%2B%40-%5D%7B1%2C64%7D%24/type",keyword:"type",params:{type: "string"},schema:schema11.properties.Triggers.patternProperties["^[A-Za-z0-9_.:/=+@-]{1,64}$"].type,parentSchema:schema11.properties.Triggers.patternProperties["^[A-Za-z0-9_.:/=+@-]{1,64}$"],data:data4};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(coerced2 !== undefined){
data4 = coerced2;
if(data3 !== undefined){
data3[key2] = coerced2;
}
}
}
if(typeof data4 === "string"){
if(func49(data4) > 256){
const err18 = {instancePath:instancePath+"/Triggers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/Triggers/patternProperties/%5E%5BA-Za-z0-9_.%3A~1%3D%2B%40-%5D%7B1%2C64%7D%24/maxLength",keyword:"maxLength",params:{limit: 256},schema:256,parentSchema:schema11.properties.Triggers.patternProperties["^[A-Za-z0-9_.:/=+@-]{1,64}$"],data:data4};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
}
}
else {
const err19 = {instancePath:instancePath+"/Triggers",schemaPath:"#/properties/Triggers/type",keyword:"type",params:{type: "object"},schema:schema11.properties.Triggers.type,parentSchema:schema11.properties.Triggers,data:data3};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.WaitForSteadyState !== undefined && func0.call(data, "WaitForSteadyState")){
let data5 = data.WaitForSteadyState;
if(typeof data5 !== "boolean"){
let coerced3 = undefined;
if(!(coerced3 !== undefined)){
if(data5 === "false" || data5 === 0 || data5 === null){
coerced3 = false;
}
else if(data5 === "true" || data5 === 1){
coerced3 = true;
}
else {
const err20 = {instancePath:instancePath+"/WaitForSteadyState",schemaPath:"#/properties/WaitForSteadyState/type",keyword:"type",params:{type: "boolean"},schema:schema11.properties.WaitForSteadyState.type,parentSchema:schema11.properties.WaitForSteadyState,data:data5};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(coerced3 !== undefined){
data5 = coerced3;
if(data !== undefined){
data["WaitForSteadyState"] = coerced3;
}
}
}
}
if(data.OnStackRollback !== undefined && func0.call(data, "OnStackRollback")){
let data6 = data.OnStackRollback;
if(typeof data6 !== "string"){
let dataType4 = typeof data6;
let coerced4 = undefined;
if(!(coerced4 !== undefined)){
if(dataType4 == "number" || dataType4 == "boolean"){
coerced4 = "" + data6;
}
else if(data6 === null){
coerced4 = "";
}
else {
const err21 = {instancePath:instancePath+"/OnStackRollback",schemaPath:"#/properties/OnStackRollback/type",keyword:"type",params:{type: "string"},schema:schema11.properties.OnStackRollback.type,parentSchema:schema11.properties.OnStackRollback,data:data6};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(coerced4 !== undefined){
data6 = coerced4;
if(data !== undefined){
data["OnStackRollback"] = coerced4;
}
}
}
if(!((data6 === "Skip") || (data6 === "Restart"))){
const err22 = {instancePath:instancePath+"/OnStackRollback",schemaPath:"#/properties/OnStackRollback/enum",keyword:"enum",params:{allowedValues: schema11.properties.OnStackRollback.enum},schema:schema11.properties.OnStackRollback.enum,parentSchema:schema11.properties.OnStackRollback,data:data6};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.TimeoutInMinutes !== undefined && func0.call(data, "TimeoutInMinutes")){
let data7 = data.TimeoutInMinutes;
if(!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))){
let dataType5 = typeof data7;
let coerced5 = undefined;
if(!(coerced5 !== undefined)){
if(dataType5 === "boolean" || data7 === null
              || (dataType5 === "string" && data7 && data7 == +data7 && !(data7 % 1))){
coerced5 = +data7;
}
else {
const err23 = {instancePath:instancePath+"/TimeoutInMinutes",schemaPath:"#/properties/TimeoutInMinutes/type",keyword:"type",params:{type: "integer"},schema:schema11.properties.TimeoutInMinutes.type,parentSchema:schema11.properties.TimeoutInMinutes,data:data7};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(coerced5 !== undefined){
data7 = coerced5;
if(data !== undefined){
data["TimeoutInMinutes"] = coerced5;
}
}
}
if((typeof data7 == "number") && (isFinite(data7))){
if(data7 > 2100 || isNaN(data7)){
const err24 = {instancePath:instancePath+"/TimeoutInMinutes",schemaPath:"#/properties/TimeoutInMinutes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2100},schema:2100,parentSchema:schema11.properties.TimeoutInMinutes,data:data7};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if(data7 < 1 || isNaN(data7)){
const err25 = {instancePath:instancePath+"/TimeoutInMinutes",schemaPath:"#/properties/TimeoutInMinutes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},schema:1,parentSchema:schema11.properties.TimeoutInMinutes,data:data7};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
if(data.MaxConcurrentRestarts !== undefined && func0.call(data, "MaxConcurrentRestarts")){
let data8 = data.MaxConcurrentRestarts;
if(!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))){
let dataType6 = typeof data8;
let coerced6 = undefined;
if(!(coerced6 !== undefined)){
if(dataType6 === "boolean" || data8 === null
              || (dataType6 === "string" && data8 && data8 == +data8 && !(data8 % 1))){
coerced6 = +data8;
}
else {
const err26 = {instancePath:instancePath+"/MaxConcurrentRestarts",schemaPath:"#/properties/MaxConcurrentRestarts/type",keyword:"type",params:{type: "integer"},schema:schema11.properties.MaxConcurrentRestarts.type,parentSchema:schema11.properties.MaxConcurrentRestarts,data:data8};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(coerced6 !== undefined){
data8 = coerced6;
if(data !== undefined){
data["MaxConcurrentRestarts"] = coerced6;
}
}
}
if((typeof data8 == "number") && (isFinite(data8))){
if(data8 > 20 || isNaN(data8)){
const err27 = {instancePath:instancePath+"/MaxConcurrentRestarts",schemaPath:"#/properties/MaxConcurrentRestarts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 20},schema:20,parentSchema:schema11.properties.MaxConcurrentRestarts,data:data8};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(data8 < 1 || isNaN(data8)){
const err28 = {instancePath:instancePath+"/MaxConcurrentRestarts",schemaPath:"#/properties/MaxConcurrentRestarts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},schema:1,parentSchema:schema11.properties.MaxConcurrentRestarts,data:data8};
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
if(data.Id !== undefined && func0.call(data, "Id")){
let data9 = data.Id;
if(typeof data9 !== "string"){
let dataType7 = typeof data9;
let coerced7 = undefined;
if(!(coerced7 !== undefined)){
if(dataType7 == "number" || dataType7 == "boolean"){
coerced7 = "" + data9;
}
else if(data9 === null){
coerced7 = "";
}
else {
const err29 = {instancePath:instancePath+"/Id",schemaPath:"#/properties/Id/type",keyword:"type",params:{type: "string"},schema:schema11.properties.Id.type,parentSchema:schema11.properties.Id,data:data9};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(coerced7 !== undefined){
data9 = coerced7;
if(data !== undefined){
data["Id"] = coerced7;
}
}
}
if(typeof data9 === "string"){
if(!pattern4.test(data9)){
const err30 = {instancePath:instancePath+"/Id",schemaPath:"#/properties/Id/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},schema:"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",parentSchema:schema11.properties.Id,data:data9};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
}
if(data.RestartedAt !== undefined && func0.call(data, "RestartedAt")){
let data10 = data.RestartedAt;
if(typeof data10 !== "string"){
let dataType8 = typeof data10;
let coerced8 = undefined;
if(!(coerced8 !== undefined)){
if(dataType8 == "number" || dataType8 == "boolean"){
coerced8 = "" + data10;
}
else if(data10 === null){
coerced8 = "";
}
else {
const err31 = {instancePath:instancePath+"/RestartedAt",schemaPath:"#/properties/RestartedAt/type",keyword:"type",params:{type: "string"},schema:schema11.properties.RestartedAt.type,parentSchema:schema11.properties.RestartedAt,data:data10};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(coerced8 !== undefined){
data10 = coerced8;
if(data !== undefined){
data["RestartedAt"] = coerced8;
}
}
}
}
if(data.ServiceArns !== undefined && func0.call(data, "ServiceArns")){
let data11 = data.ServiceArns;
if(Array.isArray(data11)){
const len1 = data11.length;
for(let i2=0; i2<len1; i2++){
let data12 = data11[i2];
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
const err32 = {instancePath:instancePath+"/ServiceArns/" + i2,schemaPath:"#/properties/ServiceArns/items/type",keyword:"type",params:{type: "string"},schema:schema11.properties.ServiceArns.items.type,parentSchema:schema11.properties.ServiceArns.items,data:data12};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(coerced9 !== undefined){
data12 = coerced9;
if(data11 !== undefined){
data11[i2] = coerced9;
}
}
}
}
}
else {
const err33 = {instancePath:instancePath+"/ServiceArns",schemaPath:"#/properties/ServiceArns/type",keyword:"type",params:{type: "array"},schema:schema11.properties.ServiceArns.type,parentSchema:schema11.properties.ServiceArns,data:data11};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.DeploymentIds !== undefined && func0.call(data, "DeploymentIds")){
let data13 = data.DeploymentIds;
if(Array.isArray(data13)){
const len2 = data13.length;
for(let i3=0; i3<len2; i3++){
let data14 = data13[i3];
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
const err34 = {instancePath:instancePath+"/DeploymentIds/" + i3,schemaPath:"#/properties/DeploymentIds/items/type",keyword:"type",params:{type: "string"},schema:schema11.properties.DeploymentIds.items.type,parentSchema:schema11.properties.DeploymentIds.items,data:data14};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(coerced10 !== undefined){
data14 = coerced10;
if(data13 !== undefined){
data13[i3] = coerced10;
}
}
}
}
}
else {
const err35 = {instancePath:instancePath+"/DeploymentIds",schemaPath:"#/properties/DeploymentIds/type",keyword:"type",params:{type: "array"},schema:schema11.properties.DeploymentIds.type,parentSchema:schema11.properties.DeploymentIds,data:data13};
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
else {
const err36 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
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
